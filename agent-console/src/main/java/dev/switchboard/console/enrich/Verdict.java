package dev.switchboard.console.enrich;

/**
 * One text's label from the model's class probabilities and the domain layer's evidence.
 *
 * <p>
 * The model's probabilities are summed into negative, neutral and positive; each point of the domain layer's evidence
 * adds {@link #EVIDENCE} to its side; neutral gets {@link #NEUTRAL_PRIOR}, because the model reads many plain customer
 * questions and facts as mildly negative. The largest side wins; within it, the model's or the layer's strength picks
 * the "very" class. Without probabilities (the layer alone was sure), the layer decides.
 */
final class Verdict {

    static final double EVIDENCE = 0.3;
    static final double NEUTRAL_PRIOR = 0.3;
    /** Domain evidence from which a text reads as very negative or very positive. */
    static final double VERY = 6;

    private Verdict() {
    }

    static Sentiment of(double[] probabilities, ServiceLexicon.Reading reading) {
        double[] p = probabilities == null ? new double[] { 0, 0, 0, 0, 0 } : probabilities;
        double negative = p[0] + p[1] + EVIDENCE * reading.negative();
        double positive = p[3] + p[4] + EVIDENCE * reading.positive();
        double neutral = p[2] + NEUTRAL_PRIOR;
        if (negative > neutral && negative >= positive) {
            return Sentiment.of(reading.negative() >= VERY || p[0] > p[1] ? 0 : 1);
        }
        if (positive > neutral && positive > negative) {
            return Sentiment.of(reading.positive() >= VERY || p[4] > p[3] ? 4 : 3);
        }
        return Sentiment.of(2);
    }
}
