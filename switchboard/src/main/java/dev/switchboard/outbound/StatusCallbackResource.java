package dev.switchboard.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.MessageStatus;
import dev.switchboard.twilio.WebhookReader;
import dev.switchboard.twilio.WebhookVerifier;
import dev.switchboard.web.ApiException;

/** Twilio's delivery-status webhook, signed like every webhook. Statuses only move forward. */
@Path("/twilio/status")
public class StatusCallbackResource {

    private final WebhookReader reader;
    private final WebhookVerifier verifier;
    private final HistoryStore history;
    private final MeterRegistry metrics;

    StatusCallbackResource(WebhookReader reader, WebhookVerifier verifier, HistoryStore history,
            MeterRegistry metrics) {
        this.reader = reader;
        this.verifier = verifier;
        this.history = history;
        this.metrics = metrics;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response status(InputStream body, HttpServerRequest request) throws IOException {
        Map<String, String> params = verifier.verify(reader.read(body, request));
        String sid = params.get("MessageSid");
        if (sid == null || sid.isBlank()) {
            throw ApiException.badRequest("MessageSid is missing");
        }
        MessageStatus status = MessageStatus.fromWire(params.get("MessageStatus"))
                .orElseThrow(() -> ApiException.badRequest("MessageStatus is missing or unknown"));
        Integer errorCode = errorCode(params.get("ErrorCode"));
        HistoryStore.Advance result = history.advanceBySid(sid, status, errorCode, params.get("ErrorMessage"));
        metrics.counter("switchboard.status.callbacks", "outcome", result.name().toLowerCase()).increment();
        if (result == HistoryStore.Advance.UNKNOWN) {
            throw new ApiException(404, "no message of this switchboard has MessageSid " + sid);
        }
        if (errorCode != null && errorCode == ReplySender.UNSUBSCRIBED) {
            history.conversationOfSid(sid).ifPresent(conversation -> history.setOptedOut(conversation, true));
        }
        return Response.ok().build();
    }

    private static Integer errorCode(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("ErrorCode is not a number");
        }
    }
}
