package dev.switchboard.local;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer in the shape of Twilio's REST API, which the Twilio SDK turns into an {@code ApiException} carrying
 * the code. The messages are Twilio's own wording so that logs read the same against the stand-in as in production.
 */
record TwilioError(int status, int code, String message) {

    static TwilioError authentication() {
        return new TwilioError(401, 20003, "Authentication Error - invalid username");
    }

    static TwilioError notFound(String path) {
        return new TwilioError(404, 20404, "The requested resource " + path + " was not found");
    }

    static TwilioError invalidTo(String to) {
        return new TwilioError(400, 21211,
                "The 'To' number " + (to == null ? "" : to) + " is not a valid phone number.");
    }

    static TwilioError missingFrom() {
        return new TwilioError(400, 21603, "A 'From' phone number is required.");
    }

    static TwilioError missingBody() {
        return new TwilioError(400, 21602, "Message body is required.");
    }

    static TwilioError bodyTooLong(int max) {
        return new TwilioError(400, 21617, "The concatenated message body exceeds the " + max + " character limit.");
    }

    static TwilioError invalidStatusCallback() {
        return new TwilioError(400, 21609, "Invalid StatusCallback url");
    }

    static TwilioError invalidMediaUrl() {
        return new TwilioError(400, 21620, "Invalid media URL(s)");
    }

    static TwilioError unsubscribed() {
        return new TwilioError(400, 21610, "Attempt to send to unsubscribed recipient");
    }

    static TwilioError methodNotAllowed(String method) {
        return new TwilioError(405, 20004, "Method " + method + " not allowed");
    }

    /** Not one of Twilio's: a request no Twilio SDK would send. The code is the HTTP status, as no Twilio code fits. */
    static TwilioError malformed(int status, String reason) {
        return new TwilioError(status, status, reason);
    }

    static TwilioError internal(String reason) {
        return new TwilioError(500, 20500, "Internal Server Error: " + reason);
    }

    String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("code", code);
        json.put("message", message);
        json.put("more_info", "https://www.twilio.com/docs/errors/" + code);
        json.put("status", status);
        return Json.write(json);
    }
}
