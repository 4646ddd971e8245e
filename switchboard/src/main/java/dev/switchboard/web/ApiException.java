package dev.switchboard.web;

/** A request refused with an HTTP status and a reason a person can act on. */
public class ApiException extends RuntimeException {

    private final int status;
    private final long retryAfterSeconds;

    public ApiException(int status, String reason) {
        this(status, reason, 0);
    }

    private ApiException(int status, String reason, long retryAfterSeconds) {
        super(reason);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429, with a {@code Retry-After} of that many seconds. */
    public static ApiException tooManyRequests(String reason, long retryAfterSeconds) {
        return new ApiException(429, reason, Math.max(1, retryAfterSeconds));
    }

    public static ApiException badRequest(String reason) {
        return new ApiException(400, reason);
    }

    public static ApiException unauthorized(String reason) {
        return new ApiException(401, reason);
    }

    public static ApiException forbidden(String reason) {
        return new ApiException(403, reason);
    }

    public static ApiException notFound(String reason) {
        return new ApiException(404, reason);
    }

    public static ApiException conflict(String reason) {
        return new ApiException(409, reason);
    }

    public static ApiException tooLarge(String reason) {
        return new ApiException(413, reason);
    }

    public static ApiException unsupportedType(String reason) {
        return new ApiException(415, reason);
    }

    public int status() {
        return status;
    }

    /** Seconds for a {@code Retry-After} header; 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
