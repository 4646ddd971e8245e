package dev.switchboard.console.enrich;

/** The real model, loaded once for the plain (non-Quarkus) tests that score with it; unguarded, as in benchmarks. */
final class LoadedModel {

    private static SentimentModel model;

    private LoadedModel() {
    }

    static synchronized SentimentModel get() {
        if (model == null) {
            model = new SentimentModel(new TestSentimentConfig(1, 1, 1), null);
            model.load().join();
        }
        return model;
    }
}
