package dev.switchboard.twilio;

import java.io.InputStream;
import java.util.OptionalLong;

/**
 * An open download of one media file. The caller reads and closes {@link #body()}.
 *
 * @param contentType
 *            the type the server declared, if any
 * @param length
 *            the size the server declared, if any
 * @param body
 *            the bytes
 */
public record MediaDownload(String contentType, OptionalLong length, InputStream body) implements AutoCloseable {

    @Override
    public void close() {
        try {
            body.close();
        } catch (java.io.IOException ignored) {
            // nothing more to read: the connection is being dropped anyway
        }
    }
}
