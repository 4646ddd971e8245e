package dev.switchboard.inbound;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.switchboard.history.ConversationKey;
import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.HistoryStore.Outcome;
import dev.switchboard.history.MediaItem;
import dev.switchboard.history.Message;
import dev.switchboard.history.MessageIds;
import dev.switchboard.twilio.TwilioConfig;
import dev.switchboard.twilio.WebhookConfig;
import dev.switchboard.twilio.WebhookRequest;
import dev.switchboard.twilio.WebhookVerifier;
import dev.switchboard.web.ApiException;

/**
 * Takes an inbound-message webhook from signature check to stored message: one conditional put, keyed by the
 * MessageSid. The conversation's summary, routing and media fetches follow from the stream, never while Twilio waits.
 */
@ApplicationScoped
public class InboundService {

    static final String RECEIVED = "received";

    private final WebhookVerifier verifier;
    private final WebhookConfig config;
    private final TwilioConfig twilio;
    private final HistoryStore history;
    private final MessageIds ids;
    private final MeterRegistry metrics;
    private final Timer storeTimer;

    InboundService(WebhookVerifier verifier, WebhookConfig config, TwilioConfig twilio, HistoryStore history,
            MessageIds ids, MeterRegistry metrics) {
        this.verifier = verifier;
        this.config = config;
        this.twilio = twilio;
        this.history = history;
        this.ids = ids;
        this.metrics = metrics;
        this.storeTimer = Timer.builder("switchboard.store").description("Time to store an inbound message")
                .publishPercentiles(0.5, 0.99).register(metrics);
    }

    /**
     * @return whether the message was new or a repeated delivery
     *
     * @throws ApiException
     *             403 for an unsigned or foreign webhook or one to another number, 400 for a malformed one
     */
    public Outcome receive(WebhookRequest request) {
        try {
            Outcome outcome = verifyAndStore(request);
            count(outcome == Outcome.STORED ? "accepted" : "duplicate", "none");
            return outcome;
        } catch (ApiException e) {
            count("rejected", Integer.toString(e.status()));
            throw e;
        }
    }

    private Outcome verifyAndStore(WebhookRequest request) {
        Map<String, String> params = verifier.verify(request);
        InboundSms sms = InboundSms.parse(params, config.maxBodyCharacters(), twilio::isBusinessNumber);
        Message message = toMessage(sms);
        return storeTimer.record(() -> history.recordInbound(message));
    }

    private Message toMessage(InboundSms sms) {
        Instant now = Instant.now();
        ConversationKey conversation = new ConversationKey(sms.to(), sms.from());
        // The MessageSid is the message's key: a repeated delivery has the same key and fails the put's condition.
        return new Message(conversation.id(), sms.messageSid(), Message.Direction.INBOUND, sms.from(), sms.to(),
                sms.body(), sms.messageSid(), RECEIVED, now, now,
                sms.media().stream().map(m -> MediaItem.pending(m.index(), m.url(), m.contentType())).toList(),
                sms.details(), null, null, null, Map.of(RECEIVED, now), ids.next(), null, null);
    }

    private void count(String outcome, String status) {
        metrics.counter("switchboard.webhooks", "outcome", outcome, "status", status).increment();
    }
}
