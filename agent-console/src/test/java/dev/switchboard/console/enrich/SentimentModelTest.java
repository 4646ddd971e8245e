package dev.switchboard.console.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;

/**
 * The real model, in the application: what an agent would see for clear cases. It shares the application (and the stack
 * the other tests bring) rather than starting one of its own.
 */
@QuarkusTest
class SentimentModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SentimentModel model;

    @Inject
    Enrichment enrichment;

    @Test
    void clearlyNegativeTextIsNegative() {
        Sentiment s = model.score("This is terrible, I am furious, worst service ever");
        assertTrue(s.score() <= 1, () -> "got " + s);
        assertNull(s.flag());
    }

    @Test
    void clearlyPositiveTextIsPositive() {
        Sentiment s = model.score("Thank you so much, the delivery was fast and the support was wonderful!");
        assertTrue(s.score() >= 3, () -> "got " + s);
    }

    @Test
    void aLongMessageIsScoredOverItsSentences() {
        Sentiment s = model.score("Hi. I ordered a jacket two weeks ago. It still has not arrived and nobody answers "
                + "my emails. This is the worst experience I have had with any shop. I want a refund now.");
        assertTrue(s.score() <= 1, () -> "got " + s);
    }

    @Test
    void emptyEmojiAndNonEnglishTextsAreNeutralWithAFlag() {
        assertEquals(Sentiment.neutral("empty"), model.score(""));
        assertEquals(Sentiment.neutral("empty"), model.score("   "));
        // Emoji alone have no words for the model, but the domain layer reads the angry and the happy faces.
        assertEquals(Sentiment.of(1), model.score("\uD83D\uDE21\uD83D\uDE21 !!"));
        assertEquals(Sentiment.of(3), model.score("\uD83D\uDC4D"));
        assertEquals(Sentiment.neutral("empty"), model.score("\uD83D\uDE9A 12"));
        assertEquals(Sentiment.neutral("not_english"),
                model.score("Bonjour, je voudrais changer ma réservation s'il vous plaît"));
        assertEquals(Sentiment.neutral("not_english"), model.score("Здравствуйте, где мой заказ?"));
        assertEquals(Sentiment.neutral("not_english"), model.score("Hola, quiero cambiar mi pedido por favor"));
        assertNull(model.score("Refund?").flag());
    }

    @Test
    void aPathologicallyLongSentenceDoesNotFail() {
        String runOn = String.join(" ", Collections.nCopies(150, "and then it broke again"));
        Sentiment s = model.score(runOn);
        assertNotNull(s.label());
    }

    @Test
    void aMessageThatOutlastsTheTimeoutShowsWithoutSentiment() {
        // A model of its own with a 1 ms budget; parsing a text of several sentences takes tens of milliseconds.
        SentimentModel impatient = new SentimentModel(new TestSentimentConfig(1, 1, 1, Duration.ofMillis(1)));
        impatient.load().join();
        // Only parsing is guarded, so a text the domain layer cannot decide alone: plain facts.
        String text = "I ordered a jacket on the website on Monday and I would like to know where it is now. "
                + "The order number is 4471 and the size is medium. My address is the same as on my account.";
        assertEquals(Sentiment.failed("timeout"), impatient.score(text));
    }

    @Test
    void theModelsComeFromTheThreeUnpackedFilesNotAModelsJar() throws Exception {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (String model : List.of(SentimentModel.SENTIMENT_MODEL, SentimentModel.PARSER_MODEL,
                SentimentModel.TAGGER_MODEL)) {
            List<URL> found = Collections.list(loader.getResources(model));
            assertEquals(1, found.size(), () -> model + " found at " + found);
            assertFalse(found.get(0).toString().contains("models.jar"), found.get(0)::toString);
        }
        // Any other model of the 474 MB jar would be there if the jar were on the classpath.
        assertNull(loader.getResource("edu/stanford/nlp/models/pos-tagger/english-left3words-distsim.tagger.props"));
        assertNull(loader.getResource("edu/stanford/nlp/models/ner/english.all.3class.distsim.crf.ser.gz"));
    }

    @Test
    void throughTheApplicationsStreamStoredScoresOfACustomerTurningAngryLightTheTrend() {
        // The product path: messages come first, then each one's stored score as the switchboard's sentiment frame
        // (here the real model's score of the text, as the console's stream scorer stores it).
        UnicastProcessor<ObjectNode> upstream = UnicastProcessor.create();
        AssertSubscriber<ObjectNode> browser = enrichment.enrich(upstream).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        List<String> texts = List.of("This is terrible, I am furious, worst service ever",
                "Nobody has answered me for three days, this is awful",
                "I am extremely angry and disappointed with this horrible company");
        Instant start = Instant.now().minusSeconds(60);
        for (int i = 0; i < texts.size(); i++) {
            String id = "angry-" + i;
            String createdAt = start.plusSeconds(i).toString();
            ObjectNode message = JSON.createObjectNode().put("id", id).put("conversation", "angry")
                    .put("direction", "inbound").put("body", texts.get(i)).put("createdAt", createdAt);
            ObjectNode update = JSON.createObjectNode().put("type", "update").put("conversation", "angry");
            update.set("message", message);
            upstream.onNext(update);
            ObjectNode scored = JSON.createObjectNode().put("type", "sentiment").put("conversation", "angry")
                    .put("messageId", id).put("createdAt", createdAt);
            scored.set("sentiment", JSON.valueToTree(model.score(texts.get(i))));
            upstream.onNext(scored);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sentimentFrames(browser).size() == 3);
        List<ObjectNode> sentiments = sentimentFrames(browser);
        ObjectNode first = sentiments.get(0);
        ObjectNode last = sentiments.get(2);
        assertFalse(first.at("/trend/negative").asBoolean(), first::toString);
        assertTrue(last.at("/trend/negative").asBoolean(), last::toString);
        assertEquals(3, last.at("/trend/points").size());
        for (ObjectNode frame : sentiments) {
            assertTrue(frame.at("/sentiment/score").asInt() <= 1, frame::toString);
        }
    }

    private static List<ObjectNode> sentimentFrames(AssertSubscriber<ObjectNode> browser) {
        return browser.getItems().stream().filter(f -> f.get("type").asText().equals("sentiment")).toList();
    }
}
