package dev.switchboard.console.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The negative-trend highlight, from the real model's scores of what a customer texts. */
class TrendsTest {

    private final SentimentModel model = LoadedModel.get();
    private final Instant start = Instant.parse("2026-12-01T10:00:00Z");

    private Trend texts(Trends trends, String conversation, List<String> texts) {
        Trend trend = null;
        for (int i = 0; i < texts.size(); i++) {
            trend = trends.record(conversation, conversation + "-" + i, start.plusSeconds(60L * i),
                    model.score(texts.get(i)));
        }
        return trend;
    }

    @Test
    void threeAngryTextsInARowLightTheHighlightEvenAfterAFriendlyStart() {
        Trends trends = new Trends(new TestSentimentConfig(1, 1, 1));
        Trend before = texts(trends, "c1",
                List.of("Hi, thanks for the quick reply yesterday!", "Can you tell me when the new order ships?"));
        assertFalse(before.negative(), before::toString);
        Trend after = texts(trends, "c1",
                List.of("Hi, thanks for the quick reply yesterday!", "Can you tell me when the new order ships?",
                        "It was meant to ship Monday and it still hasn't left the warehouse",
                        "I've been waiting on hold for 40 minutes now",
                        "This is ridiculous, nobody has told me anything"));
        assertTrue(after.negative(), after::toString);
        assertEquals(5, after.points().size());
        assertTrue(after.points().subList(2, 5).stream().allMatch(p -> p < 0), after::toString);
    }

    @Test
    void aCalmConversationWithOneComplaintIsNotHighlighted() {
        Trends trends = new Trends(new TestSentimentConfig(1, 1, 1));
        Trend trend = texts(trends, "c2", List.of("Do you deliver on Sundays?",
                "The box was a bit dented but the vase inside is fine", "Great, thanks for checking"));
        assertFalse(trend.negative(), trend::toString);
    }

    @Test
    void theRunRuleCanBeTurnedOffLeavingTheMeanRule() {
        Trends trends = new Trends(new TestSentimentConfig(1, 1, 1, Duration.ofSeconds(5), 0));
        List<Integer> points = List.of(2, 1, -1, -1, -1);
        Trend trend = null;
        for (int i = 0; i < points.size(); i++) {
            trend = trends.record("c3", "m" + i, start.plusSeconds(i), Sentiment.of(points.get(i) + 2));
        }
        // Mean 0: only the run of three would light it.
        assertFalse(trend.negative(), trend::toString);
        Trends withRun = new Trends(new TestSentimentConfig(1, 1, 1));
        for (int i = 0; i < points.size(); i++) {
            trend = withRun.record("c3", "m" + i, start.plusSeconds(i), Sentiment.of(points.get(i) + 2));
        }
        assertTrue(trend.negative(), trend::toString);
    }
}
