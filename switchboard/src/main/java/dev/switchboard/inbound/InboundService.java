package dev.switchboard.inbound;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.switchboard.history.ConversationKey;
import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.HistoryStore.Outcome;
import dev.switchboard.history.MediaItem;
import dev.switchboard.history.Message;
import dev.switchboard.history.MessageIds;
import dev.switchboard.media.MediaIngest;
import dev.switchboard.twilio.TwilioConfig;
import dev.switchboard.twilio.WebhookSignatures;
import dev.switchboard.web.ApiException;

/**
 * Takes an inbound-message webhook from signature check to stored message. Media is fetched afterwards, never while
 * Twilio waits.
 */
@ApplicationScoped
public class InboundService {

    private static final Logger LOG = Logger.getLogger(InboundService.class);
    static final String RECEIVED = "received";

    private final WebhookSignatures signatures;
    private final TwilioConfig twilio;
    private final WebhookConfig config;
    private final HistoryStore history;
    private final MessageIds ids;
    private final MediaIngest media;
    private final MeterRegistry metrics;
    private final Timer storeTimer;

    InboundService(WebhookSignatures signatures, TwilioConfig twilio, WebhookConfig config, HistoryStore history,
            MessageIds ids, MediaIngest media, MeterRegistry metrics) {
        this.signatures = signatures;
        this.twilio = twilio;
        this.config = config;
        this.history = history;
        this.ids = ids;
        this.media = media;
        this.metrics = metrics;
        this.storeTimer = Timer.builder("switchboard.store").description("Time to store an inbound message")
                .publishPercentiles(0.5, 0.99).register(metrics);
    }

    /**
     * @return whether the message was new or a repeated delivery
     *
     * @throws ApiException
     *             403 for an unsigned or foreign webhook, 400 for a malformed one
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
        if (request.body().length > config.maxBodyBytes()) {
            throw ApiException.tooLarge(
                    "request body over " + config.maxBodyBytes() + " bytes (switchboard.webhook.max-body-bytes)");
        }
        Map<String, String> params = FormBody.parse(request.body());
        if (request.signature() == null || request.signature().isBlank()) {
            throw ApiException.forbidden("X-Twilio-Signature header is missing");
        }
        if (!signatures.isValid(request.url(), params, request.signature())) {
            LOG.warnf("refused a webhook whose signature does not match %s", request.url());
            throw ApiException.forbidden("X-Twilio-Signature does not match this request to " + request.url());
        }
        if (!twilio.accountSid().equals(params.get("AccountSid"))) {
            throw ApiException.forbidden("AccountSid is not this switchboard's account");
        }
        InboundSms sms = InboundSms.parse(params, config.maxBodyCharacters());
        Message message = toMessage(sms);
        Outcome outcome = storeTimer.record(() -> history.recordInbound(message));
        if (outcome == Outcome.STORED && !message.media().isEmpty()) {
            media.schedule(message);
        }
        return outcome;
    }

    private Message toMessage(InboundSms sms) {
        Instant now = Instant.now();
        ConversationKey conversation = new ConversationKey(sms.to(), sms.from());
        return new Message(conversation.id(), ids.next(), Message.Direction.INBOUND, sms.from(), sms.to(), sms.body(),
                sms.messageSid(), RECEIVED, now, now,
                sms.media().stream().map(m -> MediaItem.pending(m.index(), m.url(), m.contentType())).toList(),
                sms.details());
    }

    private void count(String outcome, String status) {
        metrics.counter("switchboard.webhooks", "outcome", outcome, "status", status).increment();
    }
}
