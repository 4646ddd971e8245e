package dev.switchboard.local;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message the stand-in accepted, as Twilio's cloud would know it: what was asked for, where its status stands, and
 * every status callback it tried. Immutable; the store replaces it as the status moves on.
 *
 * @param from
 *            null when the message was sent through a Messaging Service without a {@code From}
 * @param statusCallback
 *            null when none was given
 * @param dateSent
 *            null until the message is {@code sent}
 * @param errorCode
 *            Twilio's error code once {@code failed} or {@code undelivered}, else null
 * @param settled
 *            whether the status has reached its final value and every callback about it has been tried
 */
public record SentMessage(String sid, String accountSid, String from, String to, String body, List<String> mediaUrls,
        String messagingServiceSid, String statusCallback, int numSegments, Instant dateCreated, Instant dateUpdated,
        Instant dateSent, String status, Integer errorCode, String errorMessage, List<StatusChange> statusHistory,
        List<CallbackAttempt> callbacks, boolean settled) {

    /** One step of the message's life ({@code queued}, {@code sent}, {@code delivered}...). */
    public record StatusChange(String status, Instant at) {
    }

    /**
     * One try at posting a status callback.
     *
     * @param httpStatus
     *            the receiver's answer, or 0 when there was none (refused, timed out)
     * @param error
     *            why the try failed, or null when the receiver answered 2xx
     */
    public record CallbackAttempt(String status, int attempt, Instant at, int httpStatus, String error) {

        public boolean succeeded() {
            return error == null;
        }
    }

    public SentMessage {
        mediaUrls = List.copyOf(mediaUrls);
        statusHistory = List.copyOf(statusHistory);
        callbacks = List.copyOf(callbacks);
    }

    static SentMessage queued(String sid, String accountSid, String from, String to, String body,
            List<String> mediaUrls, String messagingServiceSid, String statusCallback, int numSegments, Instant now) {
        return new SentMessage(sid, accountSid, from, to, body, mediaUrls, messagingServiceSid, statusCallback,
                numSegments, now, now, null, "queued", null, null, List.of(new StatusChange("queued", now)), List.of(),
                false);
    }

    SentMessage withStatus(String newStatus, Integer newErrorCode, String newErrorMessage, Instant at) {
        List<StatusChange> history = new ArrayList<>(statusHistory);
        history.add(new StatusChange(newStatus, at));
        Instant sent = dateSent == null && "sent".equals(newStatus) ? at : dateSent;
        return new SentMessage(sid, accountSid, from, to, body, mediaUrls, messagingServiceSid, statusCallback,
                numSegments, dateCreated, at, sent, newStatus, newErrorCode, newErrorMessage, history, callbacks,
                settled);
    }

    SentMessage withCallback(CallbackAttempt attempt) {
        List<CallbackAttempt> tries = new ArrayList<>(callbacks);
        tries.add(attempt);
        return new SentMessage(sid, accountSid, from, to, body, mediaUrls, messagingServiceSid, statusCallback,
                numSegments, dateCreated, dateUpdated, dateSent, status, errorCode, errorMessage, statusHistory, tries,
                settled);
    }

    SentMessage asSettled() {
        return new SentMessage(sid, accountSid, from, to, body, mediaUrls, messagingServiceSid, statusCallback,
                numSegments, dateCreated, dateUpdated, dateSent, status, errorCode, errorMessage, statusHistory,
                callbacks, true);
    }

    /** The inspection API's view: our own shape, camelCase, ISO-8601 times. */
    Map<String, Object> toInspectionJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sid", sid);
        json.put("accountSid", accountSid);
        json.put("from", from);
        json.put("to", to);
        json.put("body", body);
        json.put("mediaUrls", mediaUrls);
        json.put("messagingServiceSid", messagingServiceSid);
        json.put("statusCallback", statusCallback);
        json.put("numSegments", numSegments);
        json.put("status", status);
        json.put("errorCode", errorCode);
        json.put("errorMessage", errorMessage);
        json.put("dateCreated", dateCreated.toString());
        json.put("dateUpdated", dateUpdated.toString());
        json.put("dateSent", dateSent == null ? null : dateSent.toString());
        json.put("statusHistory", statusHistory.stream().map(change -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("status", change.status());
            item.put("at", change.at().toString());
            return item;
        }).toList());
        json.put("callbacks", callbacks.stream().map(attempt -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("status", attempt.status());
            item.put("attempt", attempt.attempt());
            item.put("at", attempt.at().toString());
            item.put("httpStatus", attempt.httpStatus());
            item.put("error", attempt.error());
            return item;
        }).toList());
        json.put("settled", settled);
        return json;
    }
}
