package dev.switchboard.web;

/** A request refused with an HTTP status and a reason a person can act on. */
public class ApiException extends RuntimeException {

    private final int status;

    public ApiException(int status, String reason) {
        super(reason);
        this.status = status;
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
}
