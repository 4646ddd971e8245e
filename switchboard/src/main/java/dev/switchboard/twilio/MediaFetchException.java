package dev.switchboard.twilio;

/** A media download that failed; worth retrying unless {@link Permanent}. */
public class MediaFetchException extends RuntimeException {

    public MediaFetchException(String message) {
        super(message);
    }

    public MediaFetchException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure that retrying cannot fix. */
    public static class Permanent extends MediaFetchException {

        public Permanent(String message) {
            super(message);
        }
    }
}
