package dev.switchboard.console.enrich;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.TypedGuard;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.neural.rnn.RNNCoreAnnotations;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.sentiment.SentimentCoreAnnotations;
import edu.stanford.nlp.trees.Tree;
import edu.stanford.nlp.util.CoreMap;

/**
 * Stanford CoreNLP's sentiment model (the PCFG parser's binarized trees, helped by the part-of-speech tagger, then the
 * recursive sentiment network), loaded once per process from the three model files the build unpacks into the classpath
 * (21 MB), with the customer-service domain layer ({@link ServiceLexicon}) in front of it.
 *
 * <p>
 * A text the domain layer reads clearly (a complaint told in facts, thanks, an angry emoji) is decided without a parse,
 * which is most of a score's cost; the others are parsed and {@link Verdict} weighs the model's probabilities with the
 * layer's evidence. A text of several sentences gets the weighted mean of its sentences' class probabilities.
 * Probabilities rather than classes, so that a sentence the model is unsure about moves the result less than a
 * confident one. Each sentence weighs its tokens times its probability of not being neutral: by length, so that a "Hi."
 * or "Thanks." does not count as much as the complaint next to it; by opinion, because customers wrap a complaint in
 * plain facts ("I ordered a jacket two weeks ago.") that the model rightly reads as neutral and that would otherwise
 * outvote it. A text whose every sentence is surely neutral stays neutral.
 */
@ApplicationScoped
public class SentimentModel implements SentimentScorer {

    static final String SENTIMENT_MODEL = "edu/stanford/nlp/models/sentiment/sentiment.ser.gz";
    static final String PARSER_MODEL = "edu/stanford/nlp/models/lexparser/englishPCFG.ser.gz";
    static final String TAGGER_MODEL = "edu/stanford/nlp/models/pos-tagger/english-left3words-distsim.tagger";

    /**
     * What produced a score: the CoreNLP release with its models, and the domain layer's revision. To be stored with a
     * score, so that scores of an older model can be told apart; change it whenever the model set, {@link Verdict} or
     * {@link ServiceLexicon} changes what a text scores.
     */
    public static final String VERSION = "corenlp-4.5.10-pcfg-pos/service-lexicon-1";

    private static final int NEUTRAL = 2;

    private static final Logger LOG = Logger.getLogger(SentimentModel.class);

    private final SentimentConfig config;
    private final TypedGuard<Sentiment> guard;
    private final CompletableFuture<StanfordCoreNLP> pipeline = new CompletableFuture<>();
    private final AtomicBoolean loading = new AtomicBoolean();
    private final AtomicLong parsed = new AtomicLong();

    @Inject
    public SentimentModel(SentimentConfig config) {
        this(config, TypedGuard.create(Sentiment.class).withDescription("sentiment").withTimeout()
                .duration(config.timeout().toMillis(), ChronoUnit.MILLIS).done().build());
    }

    /**
     * @param guard
     *            the per-message timeout; null runs unguarded (outside a Quarkus application, e.g. benchmarks)
     */
    public SentimentModel(SentimentConfig config, TypedGuard<Sentiment> guard) {
        this.config = config;
        this.guard = guard;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.loadAtStartup()) {
            startLoading();
        }
    }

    /** Starts loading the model in the background, once; completes when it can score. */
    public CompletableFuture<Void> load() {
        startLoading();
        return pipeline.thenApply(p -> null);
    }

    private void startLoading() {
        if (!loading.compareAndSet(false, true)) {
            return;
        }
        Thread loader = new Thread(() -> {
            try {
                long start = System.nanoTime();
                StanfordCoreNLP loaded = new StanfordCoreNLP(properties());
                LOG.infof("Sentiment model loaded in %d ms", (System.nanoTime() - start) / 1_000_000);
                pipeline.complete(loaded);
            } catch (Throwable e) {
                LOG.error("Sentiment model failed to load; messages show without sentiment", e);
                pipeline.completeExceptionally(e);
            }
        }, "sentiment-model-load");
        loader.setDaemon(true);
        loader.start();
    }

    private Properties properties() {
        Properties p = new Properties();
        // The tagger's tags narrow the parser's chart: less than half the parse time, for 13.5 MB more model.
        p.setProperty("annotators", "tokenize,ssplit,pos,parse,sentiment");
        p.setProperty("pos.model", TAGGER_MODEL);
        p.setProperty("tokenize.language", "en");
        // Emoji and other symbols the English tokenizer does not know are dropped without a warning per message.
        p.setProperty("tokenize.options", "untokenizable=noneDelete");
        p.setProperty("parse.model", PARSER_MODEL);
        p.setProperty("sentiment.model", SENTIMENT_MODEL);
        // The sentiment network reads binarized trees.
        p.setProperty("parse.binaryTrees", "true");
        p.setProperty("parse.maxlen", Integer.toString(config.parseMaxLength()));
        // Only the trees are read; the dependency graphs CoreNLP would build from them are not.
        p.setProperty("parse.buildgraphs", "false");
        return p;
    }

    @Override
    public Sentiment score(String text) {
        String flag = TextScreen.flag(text);
        String scored = text == null || text.length() <= config.maxCharacters() ? text
                : text.substring(0, config.maxCharacters());
        ServiceLexicon.Reading reading = ServiceLexicon.read(scored);
        if (flag != null) {
            // Emoji alone still say something ("\uD83D\uDC4D", "\uD83D\uDE21\uD83D\uDE21"); other languages stay out.
            return flag.equals(TextScreen.EMPTY) && reading.decisive() ? Verdict.of(null, reading)
                    : Sentiment.neutral(flag);
        }
        if (reading.decisive()) {
            // The domain layer alone is sure: no parse, which is most of the cost of a score.
            return Verdict.of(null, reading);
        }
        StanfordCoreNLP nlp;
        try {
            startLoading();
            nlp = pipeline.join();
        } catch (RuntimeException e) {
            return Sentiment.failed("error");
        }
        parsed.incrementAndGet();
        Callable<Sentiment> classify = () -> {
            double[] probabilities = probabilities(nlp, scored);
            return probabilities == null ? Sentiment.neutral(TextScreen.EMPTY) : Verdict.of(probabilities, reading);
        };
        try {
            return guard == null ? classify.call() : guard.call(classify);
        } catch (TimeoutException e) {
            LOG.debugf("Sentiment of a %d-character text timed out", scored.length());
            return Sentiment.failed("timeout");
        } catch (Exception e) {
            LOG.warn("Sentiment scoring failed", e);
            return Sentiment.failed("error");
        }
    }

    /** Texts given to the parser and the sentiment network so far; the others were decided by the domain layer. */
    public long parsed() {
        return parsed.get();
    }

    /**
     * The model's class probabilities of the whole text, very negative to very positive: the weighted mean of its
     * sentences' (see the class comment); surely neutral when every sentence is; null when it has no sentence.
     */
    static double[] probabilities(StanfordCoreNLP nlp, String text) {
        Annotation document = new Annotation(text);
        nlp.annotate(document);
        double[] mean = new double[Sentiment.LABELS.size()];
        double weight = 0;
        int sentences = 0;
        List<CoreMap> all = document.get(CoreAnnotations.SentencesAnnotation.class);
        for (CoreMap sentence : all == null ? List.<CoreMap> of() : all) {
            Tree tree = sentence.get(SentimentCoreAnnotations.SentimentAnnotatedTree.class);
            List<Double> probabilities = tree == null ? null : RNNCoreAnnotations.getPredictionsAsStringList(tree);
            if (probabilities == null || probabilities.size() != mean.length) {
                continue;
            }
            sentences++;
            int tokens = sentence.get(CoreAnnotations.TokensAnnotation.class).size();
            double w = tokens * (1 - probabilities.get(NEUTRAL));
            for (int i = 0; i < mean.length; i++) {
                mean[i] += w * probabilities.get(i);
            }
            weight += w;
        }
        if (sentences == 0) {
            return null;
        }
        if (weight < 1e-9) {
            mean[NEUTRAL] = 1;
            return mean;
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= weight;
        }
        return mean;
    }
}
