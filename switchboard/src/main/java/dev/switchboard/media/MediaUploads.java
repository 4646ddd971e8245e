package dev.switchboard.media;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

import dev.switchboard.web.ApiException;

/**
 * Pictures agents upload to send with a reply: checked (declared type, the bytes' magic number, size), then stored in
 * S3 under {@code media/uploads/<mediaId>} with the uploader's name, so that only they can attach it. Nothing is stored
 * on a refusal.
 */
@ApplicationScoped
public class MediaUploads {

    /** A presigned URL signed with SigV4 is valid for at most 7 days. */
    static final Duration LONGEST_PRESIGNED = Duration.ofDays(7);
    /** Under the prefix the task role may write (infra), apart from MMS media, whose next part is a number. */
    private static final String PREFIX = "media/uploads/";
    private static final Pattern ID = Pattern.compile("M[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What {@code POST /media} answers. */
    public record Uploaded(String mediaId, String contentType, long size) {
    }

    private final MediaStore store;
    private final MediaConfig config;

    MediaUploads(MediaStore store, MediaConfig config) {
        this.store = store;
        this.config = config;
    }

    void checkConfig(@Observes StartupEvent start) {
        if (config.twilioUrlTtl().compareTo(LONGEST_PRESIGNED) > 0 || config.twilioUrlTtl().isNegative()
                || config.twilioUrlTtl().isZero()) {
            throw new IllegalStateException("switchboard.media.twilio-url-ttl must be more than 0 and at most 7 days"
                    + " (the longest a presigned S3 URL lasts); it is " + config.twilioUrlTtl());
        }
    }

    /**
     * @param contentType
     *            the request's {@code Content-Type}
     * @param contentLength
     *            the request's {@code Content-Length}, null when chunked
     *
     * @throws ApiException
     *             415 for a type other than JPEG, PNG or GIF, or bytes that are not of the declared type; 413 over
     *             {@code switchboard.media.max-upload-bytes}; 400 for an empty body
     */
    public Uploaded upload(String agent, String contentType, String contentLength, InputStream body)
            throws IOException {
        ImageType type = ImageType.declared(contentType)
                .orElseThrow(() -> ApiException.unsupportedType(
                        "a picture is sent as " + ImageType.ACCEPTED + " (the Content-Type header); this one is "
                                + (contentType == null ? "missing" : contentType)));
        long max = config.maxUploadBytes();
        if (declaredOver(contentLength, max)) {
            throw tooLarge(max);
        }
        // One byte past the cap is enough to know it was exceeded, whatever the client declared.
        byte[] bytes = body.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
        if (bytes.length > max) {
            throw tooLarge(max);
        }
        if (bytes.length == 0) {
            throw ApiException.badRequest("the body is empty: send the picture's bytes");
        }
        if (!type.matches(bytes)) {
            throw ApiException.unsupportedType("the bytes are not a " + type.contentType()
                    + " file (they do not start as one does); send " + ImageType.ACCEPTED);
        }
        String id = "M" + HexFormat.of().formatHex(randomBytes());
        store.putUpload(key(id), type.contentType(), bytes, agent);
        return new Uploaded(id, type.contentType(), bytes.length);
    }

    /** Whether {@code mediaId} is shaped as ours are; anything else never reaches S3. */
    public static boolean isMediaId(String mediaId) {
        return mediaId != null && ID.matcher(mediaId).matches();
    }

    /** The S3 key of an upload. */
    public static String key(String mediaId) {
        return PREFIX + mediaId;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static boolean declaredOver(String contentLength, long max) {
        if (contentLength == null || contentLength.isBlank() || contentLength.length() > 18
                || !contentLength.trim().chars().allMatch(Character::isDigit)) {
            return false;
        }
        return Long.parseLong(contentLength.trim()) > max;
    }

    private static ApiException tooLarge(long max) {
        return ApiException.tooLarge("a picture is at most " + max + " bytes (switchboard.media.max-upload-bytes)");
    }
}
