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

    /** A URL the switchboard refuses to fetch ({@link MediaUrlPolicy}): the media item is rejected, not failed. */
    public static class Refused extends Permanent {

        public Refused(String message) {
            super(message);
        }
    }
}
