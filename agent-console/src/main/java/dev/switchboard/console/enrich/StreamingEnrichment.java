package dev.switchboard.console.enrich;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Relative times on every message and status, sentiment of the customer's messages, and each conversation's trend.
 *
 * <p>
 * Frames pass straight through, decorated with what is known at once (relative times; a score already cached). A
 * message not yet scored is handed to {@link SentimentService} only once its frame has gone downstream, and its score
 * joins the stream later as a {@code sentiment} frame through a per-subscriber processor merged with the frames, so a
 * frame never waits for a score and a score never overtakes its message.
 *
 * <p>
 * What it adds (instants stay as they came, ISO-8601, for the browser's tooltips):
 * <ul>
 * <li>every message object ({@code assigned.history[]}, {@code update.message}): {@code relative} ("just now", "5
 * minutes ago", "yesterday") from {@code createdAt};</li>
 * <li>outbound ones also {@code statusRelative} from {@code statusTimes} ("sent 2 minutes ago · delivered 1 minute
 * ago", "failed 30007 · 1 minute ago", "sending just now");</li>
 * <li>inbound ones already scored on this instance: {@code sentiment {label, score, flag}} (see {@link Sentiment}); an
 * {@code update} carrying one also gets {@code trend};</li>
 * <li>{@code assigned}: {@code trend {mean, direction, negative, points}} (see {@link Trend}) from what is scored of
 * the conversation, and {@code summary.lastMessageRelative};</li>
 * <li>{@code status}: {@code at} (ISO-8601, now when the switchboard sent none) and {@code relative};</li>
 * <li>later, per inbound message scored: {@code {"type":"sentiment", conversation, messageId, sentiment, trend}}.
 * Outbound messages are not scored: the trend is the customer's.</li>
 * <li>{@code status} of a message shown: also the message's new {@code statusRelative};</li>
 * <li>every {@link RelativeConfig#tick()}, when any label shown has changed since it was sent:
 * {@code {"type":"relative", messages: [{conversation, messageId, relative, statusRelative?}]}} with just those (see
 * {@link RelativeLabels}). The browser computes no time of its own: these labels are what it shows.</li>
 * </ul>
 * Other frames pass unchanged.
 */
@ApplicationScoped
public class StreamingEnrichment implements Enrichment {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SentimentService sentiments;
    private final Trends trends;
    private final RelativeTime time;
    private final RelativeConfig relative;
    private final boolean scoreLocally;

    /** A customer message to score once its frame is out. */
    private record Pending(String conversation, String messageId, Instant createdAt, String body) {
    }

    /** A frame on its way out, with what is to happen once it is handed downstream (scoring, label tracking). */
    private record Out(ObjectNode frame, List<Runnable> afterSent) {
    }

    @Inject
    public StreamingEnrichment(SentimentService sentiments, Trends trends, RelativeTime time, RelativeConfig relative) {
        this.sentiments = sentiments;
        this.trends = trends;
        this.time = time;
        this.relative = relative;
        this.scoreLocally = sentiments.scoresLocally();
    }

    @Override
    public Multi<ObjectNode> enrich(Multi<ObjectNode> upstream) {
        return Multi.createFrom().deferred(() -> {
            UnicastProcessor<Out> scores = UnicastProcessor.create();
            Flow.Processor<Out, Out> later = scores.serialized();
            RelativeLabels labels = new RelativeLabels(relative.maxTracked(), this::labels, time::now);
            // The labels' tick joins the scores: frames of its own, merged behind the frames they describe.
            Cancellable ticker = Multi.createFrom().ticks().every(relative.tick()).onOverflow().drop().subscribe()
                    .with(tick -> {
                        ObjectNode changed = labels.tick();
                        if (changed != null) {
                            later.onNext(new Out(changed, List.of()));
                        }
                    });
            Multi<Out> frames = upstream.map(frame -> decorate(frame, labels, later))
                    // Scores still to come are dropped with the connection; the cache keeps them for the next one.
                    .onTermination().invoke(() -> {
                        ticker.cancel();
                        later.onComplete();
                    });
            return Multi.createBy().merging().streams(frames, scores)
                    // Here the frame is being handed downstream, inside the merge: a score that completes at once, or
                    // a tick, is queued by the merge behind this frame.
                    .onItem().invoke(out -> out.afterSent().forEach(Runnable::run)).map(Out::frame).onTermination()
                    .invoke(ticker::cancel);
        });
    }

    private void requestScore(Pending message, Flow.Processor<Out, Out> later) {
        CompletableFuture<Sentiment> score = sentiments.request(message.messageId(), message.body());
        if (score == null) {
            return;
        }
        score.thenAccept(sentiment -> {
            Trend trend = trends.record(message.conversation(), message.messageId(), message.createdAt(), sentiment);
            ObjectNode frame = JSON
                    .valueToTree(new SentimentFrame(message.conversation(), message.messageId(), sentiment, trend));
            later.onNext(new Out(frame, List.of()));
        });
    }

    private Out decorate(ObjectNode upstreamFrame, RelativeLabels labels, Flow.Processor<Out, Out> later) {
        ObjectNode frame = upstreamFrame.deepCopy();
        List<Runnable> afterSent = new ArrayList<>(0);
        String conversation = frame.path("conversation").asText(null);
        switch (frame.path("type").asText("")) {
        case "assigned" -> {
            JsonNode history = frame.path("history");
            List<String> ids = new ArrayList<>(history.size());
            history.forEach(message -> ids.add(message.path("id").asText("")));
            String owner = conversation;
            afterSent.add(() -> labels.replace(owner, ids));
            // Newest first, so that a queue too short for the whole history still fills the trend.
            for (int i = history.size() - 1; i >= 0; i--) {
                if (history.get(i) instanceof ObjectNode message) {
                    decorateMessage(conversation, message, afterSent, labels, later);
                }
            }
            if (frame.get("summary") instanceof ObjectNode summary) {
                relative(summary, "lastMessageAt", "lastMessageRelative");
            }
            frame.set("trend", JSON.valueToTree(trends.current(conversation)));
        }
        case "update" -> {
            if (frame.get("message") instanceof ObjectNode message) {
                decorateMessage(conversation, message, afterSent, labels, later);
                if (message.has("sentiment")) {
                    frame.set("trend", JSON.valueToTree(trends.current(conversation)));
                }
            }
        }
        case "status" -> {
            Instant at = instant(frame.get("at"));
            if (at == null) {
                at = time.now();
                frame.put("at", at.toString());
            }
            frame.put("relative", time.format(at));
            RelativeLabels.Labels now = labels.status(conversation, frame);
            if (now != null && now.statusRelative() != null) {
                frame.put("statusRelative", now.statusRelative());
            }
        }
        case "sentiment" -> {
            // The stored score's change event, from the switchboard: the one score every agent sees.
            Sentiment stored = stored(frame.get("sentiment"));
            String id = frame.path("messageId").asText(null);
            if (stored != null && id != null) {
                frame.set("trend",
                        JSON.valueToTree(trends.record(conversation, id, instant(frame.get("createdAt")), stored)));
            }
        }
        case "unassigned" -> {
            String gone = conversation;
            afterSent.add(() -> labels.forget(gone));
        }
        default -> {
        }
        }
        return new Out(frame, afterSent);
    }

    private void decorateMessage(String conversation, ObjectNode message, List<Runnable> afterSent,
            RelativeLabels labels, Flow.Processor<Out, Out> later) {
        Instant createdAt = instant(message.get("createdAt"));
        RelativeLabels.Labels now = labels(message, time.now());
        if (now.relative() != null) {
            message.put("relative", now.relative());
        }
        if (now.statusRelative() != null) {
            message.put("statusRelative", now.statusRelative());
        }
        if (conversation == null) {
            conversation = message.path("conversation").asText(null);
        }
        String owner = conversation;
        afterSent.add(() -> labels.sent(owner, message, now));
        String direction = message.path("direction").asText("");
        String id = message.path("id").asText(null);
        if (!direction.equals("inbound") || id == null) {
            return;
        }
        Sentiment stored = stored(message.get("sentiment"));
        if (stored != null) {
            trends.record(conversation, id, createdAt, stored);
            return;
        }
        if (!scoreLocally) {
            return; // its stored score follows as a sentiment frame
        }
        Sentiment cached = sentiments.cached(id);
        if (cached == null) {
            Pending pending = new Pending(conversation, id, createdAt, message.path("body").asText(""));
            afterSent.add(() -> requestScore(pending, later));
        } else {
            message.set("sentiment", JSON.valueToTree(cached));
            trends.record(conversation, id, createdAt, cached);
        }
    }

    /** A score the switchboard sent (stored on the message), or null. */
    private static Sentiment stored(JsonNode node) {
        if (node == null || !node.isObject() || !node.hasNonNull("label")) {
            return null;
        }
        return new Sentiment(node.get("label").asText(), node.hasNonNull("score") ? node.get("score").asInt() : null,
                node.hasNonNull("flag") ? node.get("flag").asText() : null);
    }

    /** A message's labels as of now: {@code relative} from its creation, {@code statusRelative} if outbound. */
    private RelativeLabels.Labels labels(ObjectNode message, Instant now) {
        Instant createdAt = instant(message.get("createdAt"));
        String status = message.path("direction").asText("").equals("outbound") ? statusRelative(message, now) : null;
        return new RelativeLabels.Labels(createdAt == null ? null : time.format(createdAt, now), status);
    }

    /** "sent 2 minutes ago · delivered just now", or "failed 30007 · 1 minute ago". */
    private String statusRelative(ObjectNode message, Instant now) {
        String status = message.path("status").asText(null);
        if (status == null) {
            return null;
        }
        JsonNode times = message.path("statusTimes");
        if (status.equals("failed") || status.equals("undelivered")) {
            StringBuilder text = new StringBuilder(status);
            if (message.hasNonNull("errorCode")) {
                text.append(' ').append(message.get("errorCode").asText());
            }
            Instant at = firstInstant(times.get(status), message.get("updatedAt"), message.get("createdAt"));
            if (at != null) {
                text.append(" · ").append(time.format(at, now));
            }
            return text.toString();
        }
        List<String> parts = new ArrayList<>(2);
        for (String step : List.of("sent", "delivered")) {
            Instant at = instant(times.get(step));
            if (at != null) {
                parts.add(step + " " + time.format(at, now));
            }
        }
        if (parts.isEmpty()) {
            Instant at = firstInstant(times.get(status), message.get("updatedAt"), message.get("createdAt"));
            return at == null ? status : status + " " + time.format(at, now);
        }
        return String.join(" · ", parts);
    }

    private Instant relative(ObjectNode node, String instantField, String relativeField) {
        Instant at = instant(node.get(instantField));
        if (at != null) {
            node.put(relativeField, time.format(at));
        }
        return at;
    }

    private static Instant firstInstant(JsonNode... candidates) {
        for (JsonNode candidate : candidates) {
            Instant at = instant(candidate);
            if (at != null) {
                return at;
            }
        }
        return null;
    }

    // ISO-8601 text, as the switchboard writes instants; epoch seconds (with a fraction) as Jackson's default would.
    private static Instant instant(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            BigDecimal seconds = value.decimalValue();
            return Instant.ofEpochSecond(seconds.longValue(),
                    seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
