package dev.switchboard.console.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;

/** The stream's behaviour with a scorer the test controls (no model, no Quarkus). */
class EnrichmentStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-22T04:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SentimentService service;

    @AfterEach
    void stop() {
        release.countDown();
        if (service != null) {
            service.stop();
        }
    }

    private StreamingEnrichment enrichment(int threads, int queueSize, Function<String, Sentiment> scorer) {
        SentimentConfig config = new TestSentimentConfig(threads, queueSize, 100);
        service = new SentimentService(config, text -> {
            calls.incrementAndGet();
            return scorer.apply(text);
        }, registry);
        return new StreamingEnrichment(service, new Trends(config), new RelativeTime(Clock.fixed(NOW, ZoneOffset.UTC)),
                new TestRelativeConfig(Duration.ofHours(1), 100));
    }

    /** A clock the test moves, and an enrichment ticking every few milliseconds against it. */
    private static final class MovingClock extends Clock {
        private volatile Instant now = NOW;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private StreamingEnrichment ticking(MovingClock clock, int maxTracked) {
        SentimentConfig config = new TestSentimentConfig(1, 10, 100);
        service = new SentimentService(config, EnrichmentStreamTest::byWords, registry);
        return new StreamingEnrichment(service, new Trends(config), new RelativeTime(clock),
                new TestRelativeConfig(Duration.ofMillis(20), maxTracked));
    }

    private static List<ObjectNode> relativeFrames(Agent agent) {
        return agent.browser.getItems().stream().filter(f -> f.get("type").asText().equals("relative")).toList();
    }

    private Sentiment blocked(String text) {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return byWords(text);
    }

    private static Sentiment byWords(String text) {
        return text.contains("awful") ? Sentiment.of(0) : text.contains("great") ? Sentiment.of(4) : Sentiment.of(2);
    }

    private static ObjectNode message(String id, String direction, String body, Instant createdAt) {
        ObjectNode m = JSON.createObjectNode();
        m.put("id", id).put("conversation", "c1").put("direction", direction).put("body", body);
        m.put("status", direction.equals("inbound") ? "received" : "sent");
        m.put("createdAt", createdAt.toString());
        return m;
    }

    private static ObjectNode update(ObjectNode message) {
        ObjectNode f = JSON.createObjectNode().put("type", "update").put("conversation", "c1");
        f.set("message", message);
        f.put("optedOut", false);
        return f;
    }

    private static ObjectNode update(String id, String body) {
        return update(message(id, "inbound", body, NOW.minusSeconds(5)));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static class Agent {
        final UnicastProcessor<ObjectNode> upstream = UnicastProcessor.create();
        final AssertSubscriber<ObjectNode> browser;

        Agent(StreamingEnrichment enrichment) {
            browser = enrichment.enrich(upstream).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        }

        ObjectNode frame(int index) {
            return browser.getItems().get(index);
        }

        ObjectNode first(String type) {
            return browser.getItems().stream().filter(f -> f.get("type").asText().equals(type)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + type + " frame in " + types()));
        }

        List<String> types() {
            return browser.getItems().stream().map(f -> f.get("type").asText()).toList();
        }
    }

    @Test
    void aMessageGoesOutAtOnceAndItsSentimentFollows() {
        StreamingEnrichment enrichment = enrichment(1, 10, this::blocked);
        Agent agent = new Agent(enrichment);

        agent.upstream.onNext(update("m1", "This is awful"));

        // The scorer is still blocked: the frame went out without waiting for it.
        agent.browser.awaitItems(1, WAIT);
        assertEquals("update", agent.frame(0).get("type").asText());
        assertFalse(agent.frame(0).get("message").has("sentiment"));

        release.countDown();
        agent.browser.awaitItems(2, WAIT);
        ObjectNode sentiment = agent.frame(1);
        assertEquals(List.of("type", "conversation", "messageId", "sentiment", "trend"), fieldNames(sentiment));
        assertEquals(List.of("label", "score", "flag"), fieldNames(sentiment.get("sentiment")));
        assertEquals(List.of("mean", "direction", "negative", "points"), fieldNames(sentiment.get("trend")));
        assertEquals("sentiment", sentiment.get("type").asText());
        assertEquals("c1", sentiment.get("conversation").asText());
        assertEquals("m1", sentiment.get("messageId").asText());
        assertEquals("very_negative", sentiment.at("/sentiment/label").asText());
        assertEquals(0, sentiment.at("/sentiment/score").asInt());
        assertTrue(sentiment.at("/sentiment/flag").isNull());
        assertEquals(List.of(-2), JSON.convertValue(sentiment.at("/trend/points"), List.class));
    }

    @Test
    void laterFramesDoNotWaitForEarlierScores() {
        StreamingEnrichment enrichment = enrichment(1, 10, this::blocked);
        Agent agent = new Agent(enrichment);

        agent.upstream.onNext(update("m1", "This is awful"));
        agent.upstream.onNext(update("m2", "Still awful"));
        ObjectNode status = JSON.createObjectNode().put("type", "status").put("conversation", "c1")
                .put("messageId", "o1").put("status", "delivered");
        agent.upstream.onNext(status);

        agent.browser.awaitItems(3, WAIT);
        assertEquals(List.of("update", "update", "status"), agent.types());
        release.countDown();
        agent.browser.awaitItems(5, WAIT);
        assertEquals(List.of("update", "update", "status", "sentiment", "sentiment"), agent.types());
    }

    @Test
    void aMessagePassingTwiceIsScoredOnceAndThenCarriesItsSentimentInline() {
        StreamingEnrichment enrichment = enrichment(2, 10, EnrichmentStreamTest::byWords);
        Agent agent = new Agent(enrichment);

        agent.upstream.onNext(update("m1", "great, thank you"));
        agent.browser.awaitItems(2, WAIT);

        // The same message again, e.g. in the history of a reconnect's assigned frame.
        ObjectNode assigned = JSON.createObjectNode().put("type", "assigned").put("conversation", "c1");
        assigned.putArray("history").add(message("m1", "inbound", "great, thank you", NOW.minusSeconds(5)));
        agent.upstream.onNext(assigned);
        agent.upstream.onComplete();

        agent.browser.awaitCompletion(WAIT);
        assertEquals(List.of("update", "sentiment", "assigned"), agent.types());
        ObjectNode inline = (ObjectNode) agent.frame(2).at("/history/0/sentiment");
        assertEquals("very_positive", inline.get("label").asText());
        assertEquals(List.of(2), JSON.convertValue(agent.frame(2).at("/trend/points"), List.class));
        assertEquals(1, calls.get());
        assertEquals(1.0, registry.get("console.sentiment.scored").counter().count());
        assertEquals(1.0, registry.get("console.sentiment.cached").counter().count());
    }

    @Test
    void twoAgentsSeeingTheSameMessageWhileItIsScoredShareOneScoring() {
        StreamingEnrichment enrichment = enrichment(2, 10, this::blocked);
        Agent first = new Agent(enrichment);
        Agent second = new Agent(enrichment);

        first.upstream.onNext(update("m1", "awful"));
        second.upstream.onNext(update("m1", "awful"));
        first.browser.awaitItems(1, WAIT);
        second.browser.awaitItems(1, WAIT);
        release.countDown();

        first.browser.awaitItems(2, WAIT);
        second.browser.awaitItems(2, WAIT);
        assertEquals(1, calls.get());
        assertEquals("sentiment", second.frame(1).get("type").asText());
    }

    @Test
    void aFullQueueSkipsTheScoreButNeverTheMessage() {
        StreamingEnrichment enrichment = enrichment(1, 1, this::blocked);
        Agent agent = new Agent(enrichment);

        agent.upstream.onNext(update("m1", "awful")); // on the one worker
        agent.upstream.onNext(update("m2", "awful")); // in the one queue slot
        agent.upstream.onNext(update("m3", "awful")); // nowhere to go

        agent.browser.awaitItems(3, WAIT);
        assertEquals(List.of("update", "update", "update"), agent.types());
        assertEquals(1.0, registry.get("console.sentiment.skipped").counter().count());

        release.countDown();
        agent.browser.awaitItems(5, WAIT);
        List<String> scored = agent.browser.getItems().subList(3, 5).stream().map(f -> f.get("messageId").asText())
                .sorted().toList();
        assertEquals(List.of("m1", "m2"), scored);

        // Skipped is not remembered: the next time m3 passes it is scored.
        agent.upstream.onNext(update("m3", "awful"));
        agent.browser.awaitItems(7, WAIT);
        assertEquals("m3", agent.frame(6).get("messageId").asText());
    }

    @Test
    void theTrendTurnsNegativeAfterAFewNegativeMessages() {
        StreamingEnrichment enrichment = enrichment(1, 10, EnrichmentStreamTest::byWords);
        Agent agent = new Agent(enrichment);
        agent.upstream.onNext(update(message("m1", "inbound", "great", NOW.minusSeconds(300))));
        agent.browser.awaitItems(2, WAIT);
        assertFalse(agent.frame(1).at("/trend/negative").asBoolean());

        agent.upstream.onNext(update(message("m2", "inbound", "awful", NOW.minusSeconds(200))));
        agent.browser.awaitItems(4, WAIT);
        assertFalse(agent.frame(3).at("/trend/negative").asBoolean(), "mean 0: not negative yet");
        assertEquals("falling", agent.frame(3).at("/trend/direction").asText());

        agent.upstream.onNext(update(message("m3", "inbound", "awful", NOW.minusSeconds(100))));
        agent.browser.awaitItems(6, WAIT);
        ObjectNode trend = (ObjectNode) agent.frame(5).get("trend");
        assertTrue(trend.get("negative").asBoolean());
        assertEquals(-0.67, trend.get("mean").asDouble(), 0.001);
        assertEquals(List.of(2, -2, -2), JSON.convertValue(trend.get("points"), List.class));
        assertEquals("falling", trend.get("direction").asText());

        // A reconnect's assigned frame carries the trend as it stands.
        ObjectNode assigned = JSON.createObjectNode().put("type", "assigned").put("conversation", "c1");
        assigned.putArray("history");
        agent.upstream.onNext(assigned);
        agent.browser.awaitItems(7, WAIT);
        assertTrue(agent.frame(6).at("/trend/negative").asBoolean());
    }

    @Test
    void assignedRequestsScoresForItsCustomerMessagesOnly() {
        StreamingEnrichment enrichment = enrichment(1, 10, EnrichmentStreamTest::byWords);
        Agent agent = new Agent(enrichment);
        ObjectNode assigned = JSON.createObjectNode().put("type", "assigned").put("conversation", "c1");
        ArrayNode history = assigned.putArray("history");
        history.add(message("m1", "inbound", "awful", NOW.minusSeconds(300)));
        history.add(message("o1", "outbound", "Sorry to hear that", NOW.minusSeconds(200)));
        history.add(message("m2", "inbound", "awful", NOW.minusSeconds(100)));

        agent.upstream.onNext(assigned);
        agent.browser.awaitItems(3, WAIT);
        assertEquals(List.of("assigned", "sentiment", "sentiment"), agent.types());
        assertTrue(agent.frame(0).get("trend").get("points").isEmpty());
        assertEquals(2, calls.get());
        assertTrue(agent.frame(2).at("/trend/negative").asBoolean());
        assertEquals(List.of(-2, -2), JSON.convertValue(agent.frame(2).at("/trend/points"), List.class));
    }

    @Test
    void messagesAndStatusesCarryRelativeTimesNextToTheirInstants() {
        StreamingEnrichment enrichment = enrichment(1, 10, EnrichmentStreamTest::byWords);
        Agent agent = new Agent(enrichment);

        ObjectNode delivered = message("o1", "outbound", "On its way", NOW.minusSeconds(180));
        delivered.put("status", "delivered");
        delivered.putObject("statusTimes").put("sent", NOW.minusSeconds(120).toString()).put("delivered",
                NOW.minusSeconds(60).toString());
        ObjectNode failed = message("o2", "outbound", "Hello?", NOW.minusSeconds(120));
        failed.put("status", "failed").put("errorCode", 30007);
        failed.putObject("statusTimes").put("failed", NOW.minusSeconds(60).toString());
        ObjectNode assigned = JSON.createObjectNode().put("type", "assigned").put("conversation", "c1");
        assigned.putObject("summary").put("lastMessageAt", NOW.minus(Duration.ofHours(26)).toString());
        assigned.putArray("history").add(message("m0", "inbound", "hi", NOW.minus(Duration.ofHours(25)))).add(delivered)
                .add(failed);
        agent.upstream.onNext(assigned);
        agent.upstream.onNext(update("m1", "where is it"));
        agent.upstream.onNext(JSON.createObjectNode().put("type", "status").put("conversation", "c1")
                .put("messageId", "o1").put("status", "delivered"));

        // Scores of m0 and m1 and relative ticks may come in between: frames are found by type.
        Awaitility.await().atMost(WAIT).until(() -> agent.types().contains("status"));
        ObjectNode a = agent.first("assigned");
        assertEquals("yesterday", a.at("/history/0/relative").asText());
        assertEquals("3 minutes ago", a.at("/history/1/relative").asText());
        assertEquals(NOW.minusSeconds(180).toString(), a.at("/history/1/createdAt").asText());
        assertEquals("sent 2 minutes ago · delivered 1 minute ago", a.at("/history/1/statusRelative").asText());
        assertEquals("failed 30007 · 1 minute ago", a.at("/history/2/statusRelative").asText());
        assertNull(a.at("/history/0").get("statusRelative"));
        assertEquals("yesterday", a.at("/summary/lastMessageRelative").asText());
        assertEquals("just now", agent.first("update").at("/message/relative").asText());
        ObjectNode status = agent.first("status");
        assertEquals(NOW.toString(), status.get("at").asText());
        // The message's whole status label, from what the stream saw of it (delivered already had its time).
        assertEquals("sent 2 minutes ago · delivered 1 minute ago", status.get("statusRelative").asText());
        assertEquals("just now", status.get("relative").asText());
    }

    @Test
    void otherFramesPassUntouched() {
        StreamingEnrichment enrichment = enrichment(1, 10, EnrichmentStreamTest::byWords);
        Agent agent = new Agent(enrichment);
        ObjectNode presence = JSON.createObjectNode().put("type", "presence").put("agent", "ann")
                .put("presence", "available").put("capacity", 3).put("load", 1);
        agent.upstream.onNext(presence.deepCopy());
        agent.upstream.onComplete();
        agent.browser.awaitCompletion(WAIT);
        assertEquals(List.of(presence), agent.browser.getItems());
    }

    @Test
    void labelsThatChangeAreSentAgainOnTheTickAndOnlyThose() {
        MovingClock clock = new MovingClock();
        Agent agent = new Agent(ticking(clock, 100));
        agent.upstream.onNext(update(message("o1", "outbound", "On its way", NOW.minusSeconds(5))));
        agent.browser.awaitItems(1, WAIT);
        assertEquals("just now", agent.frame(0).at("/message/relative").asText());
        assertEquals("sent just now", agent.frame(0).at("/message/statusRelative").asText());

        clock.advance(Duration.ofMinutes(3));
        // Shown at the new time: its label is current and must not be re-sent.
        agent.upstream.onNext(update(message("m2", "inbound", "hello", clock.instant())));
        Awaitility.await().atMost(WAIT).until(() -> !relativeFrames(agent).isEmpty());
        ObjectNode tick = relativeFrames(agent).get(0);
        assertEquals(1, tick.get("messages").size(), tick.toString());
        assertEquals("c1", tick.at("/messages/0/conversation").asText());
        assertEquals("o1", tick.at("/messages/0/messageId").asText());
        assertEquals("3 minutes ago", tick.at("/messages/0/relative").asText());
        assertEquals("sent 3 minutes ago", tick.at("/messages/0/statusRelative").asText());

        // A status change re-labels the message at once, and the tick carries on from there.
        agent.upstream.onNext(JSON.createObjectNode().put("type", "status").put("conversation", "c1")
                .put("messageId", "o1").put("status", "delivered").put("at", clock.instant().toString()));
        Awaitility.await().atMost(WAIT)
                .until(() -> agent.browser.getItems().stream().anyMatch(f -> f.path("type").asText().equals("status")));
        ObjectNode status = agent.browser.getItems().stream().filter(f -> f.get("type").asText().equals("status"))
                .findFirst().orElseThrow();
        // No instant of "sent" was ever given: the label names the newest step.
        assertEquals("delivered just now", status.get("statusRelative").asText());

        clock.advance(Duration.ofMinutes(2));
        Awaitility.await().atMost(WAIT).until(() -> relativeFrames(agent).size() >= 2);
        ObjectNode second = relativeFrames(agent).get(1);
        assertEquals(2, second.get("messages").size(), second.toString());
        assertEquals("delivered 2 minutes ago", second.at("/messages/0/statusRelative").asText());
        assertEquals("5 minutes ago", second.at("/messages/0/relative").asText());
        assertEquals("2 minutes ago", second.at("/messages/1/relative").asText());
        assertNull(second.at("/messages/1").get("statusRelative"));

        agent.upstream.onComplete();
        agent.browser.awaitCompletion(WAIT);
    }

    @Test
    void aConversationGoneStopsTickingAndTheTrackedMessagesAreBounded() {
        MovingClock clock = new MovingClock();
        Agent agent = new Agent(ticking(clock, 3));
        ObjectNode assigned = JSON.createObjectNode().put("type", "assigned").put("conversation", "c1");
        assigned.putArray("history").add(message("m1", "inbound", "one", NOW.minusSeconds(300)))
                .add(message("m2", "inbound", "two", NOW.minusSeconds(200)))
                .add(message("m3", "inbound", "three", NOW.minusSeconds(100)));
        ObjectNode other = JSON.createObjectNode().put("type", "assigned").put("conversation", "c2");
        ObjectNode m9 = message("m9", "inbound", "nine", NOW.minusSeconds(100));
        m9.put("conversation", "c2");
        other.putArray("history").add(m9);
        agent.upstream.onNext(assigned);
        agent.upstream.onNext(other);
        agent.upstream.onNext(JSON.createObjectNode().put("type", "unassigned").put("conversation", "c2"));
        Awaitility.await().atMost(WAIT).until(() -> agent.types().contains("unassigned"));

        clock.advance(Duration.ofMinutes(10));
        Awaitility.await().atMost(WAIT).until(() -> !relativeFrames(agent).isEmpty());
        ObjectNode tick = relativeFrames(agent).get(0);
        // Bound of 3: the history went newest first (m3, m2, m1), m9 pushed out m3, then its conversation left.
        List<String> ids = new ArrayList<>();
        tick.get("messages").forEach(m -> ids.add(m.get("messageId").asText()));
        assertEquals(List.of("m2", "m1"), ids, tick.toString());
        agent.upstream.onComplete();
        agent.browser.awaitCompletion(WAIT);
    }
}
