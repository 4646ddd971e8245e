package dev.switchboard.console.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The model, with its domain layer, against the hand-labelled customer-service set (src/test/resources/sentiment): at
 * least 85 % agreement on three classes over the whole set. The confusion matrices of the whole set and of its two
 * parts are printed, for docs/benchmarks.md.
 */
class SentimentAccuracyTest {

    static final List<String> CLASSES = List.of("negative", "neutral", "positive");
    static final double BAR = 0.85;

    record Example(String id, String label, String part, String text) {
    }

    /** Rows are the human labels, columns the model's; in {@link #CLASSES} order. */
    record Confusion(String name, int[][] counts) {

        Confusion(String name) {
            this(name, new int[3][3]);
        }

        void add(String human, String model) {
            counts[CLASSES.indexOf(human)][CLASSES.indexOf(model)]++;
        }

        int total() {
            int n = 0;
            for (int[] row : counts) {
                for (int c : row) {
                    n += c;
                }
            }
            return n;
        }

        double agreement() {
            return (counts[0][0] + counts[1][1] + counts[2][2]) / (double) total();
        }

        String table() {
            StringBuilder s = new StringBuilder(
                    String.format(Locale.ROOT, "%s: %d texts, %.1f %% agreement%n", name, total(), 100 * agreement()));
            s.append("| human \\ model | negative | neutral | positive |\n|---|---|---|---|\n");
            for (int i = 0; i < 3; i++) {
                s.append(String.format(Locale.ROOT, "| %s | %d | %d | %d |%n", CLASSES.get(i), counts[i][0],
                        counts[i][1], counts[i][2]));
            }
            return s.toString();
        }
    }

    static List<Example> examples() throws IOException {
        try (InputStream in = SentimentAccuracyTest.class.getResourceAsStream("/sentiment/customer-service-sms.tsv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertEquals("id\tlabel\tpart\ttext", lines.get(0));
            List<Example> examples = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t", 4);
                examples.add(new Example(f[0], f[1], f[2], f[3]));
            }
            return examples;
        }
    }

    static String threeClasses(Sentiment s) {
        if (s.score() == null) {
            return "neutral";
        }
        return s.score() < 2 ? "negative" : s.score() > 2 ? "positive" : "neutral";
    }

    @Test
    void theSetIsLargeLabelledAndSplitAsItsReadmeSays() throws IOException {
        List<Example> examples = examples();
        assertTrue(examples.size() >= 200, () -> examples.size() + " texts");
        Set<String> texts = new HashSet<>();
        for (Example e : examples) {
            assertTrue(CLASSES.contains(e.label()), e::toString);
            assertTrue(Set.of("tune", "held-out").contains(e.part()), e::toString);
            assertTrue(texts.add(e.text().toLowerCase(Locale.ROOT)), () -> "twice: " + e.text());
        }
        long heldOut = examples.stream().filter(e -> e.part().equals("held-out")).count();
        assertEquals(70, heldOut);
        for (String label : CLASSES) {
            assertTrue(examples.stream().filter(e -> e.label().equals(label)).count() >= 60, label);
        }
    }

    @Test
    void aTextTheDomainLayerReadsClearlyIsNotParsedAndAPlainOneIs() {
        SentimentModel model = LoadedModel.get();
        long before = model.parsed();
        assertEquals(1, model.score("The courier never turned up and nobody called").score());
        assertEquals(before, model.parsed());
        assertEquals(2, model.score("Can I collect it from the depot on Friday?").score());
        assertEquals(before + 1, model.parsed());
    }

    @Test
    void atLeast85PercentOfTheHandLabelledTextsAgreeOnThreeClasses() throws IOException {
        SentimentModel model = LoadedModel.get();
        Confusion whole = new Confusion("whole set");
        Confusion tune = new Confusion("tune part");
        Confusion heldOut = new Confusion("held-out part");
        List<String> misses = new ArrayList<>();
        long parsedBefore = model.parsed();
        List<Example> examples = examples();
        for (Example e : examples) {
            Sentiment s = model.score(e.text());
            String got = threeClasses(s);
            whole.add(e.label(), got);
            (e.part().equals("tune") ? tune : heldOut).add(e.label(), got);
            if (!got.equals(e.label())) {
                misses.add(e.id() + " " + e.part() + " " + e.label() + " -> " + got + ": " + e.text());
            }
        }
        System.out.println(whole.table() + tune.table() + heldOut.table() + "parsed: " + (model.parsed() - parsedBefore)
                + " of " + examples.size() + " (the others decided by the domain layer alone)\nmisses:\n"
                + String.join("\n", misses));
        assertTrue(whole.agreement() >= BAR, whole::table);
    }
}
