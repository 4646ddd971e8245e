package dev.switchboard.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

/**
 * What one measured phase did: how many operations, how long it took, their latencies (microseconds), and what went
 * wrong.
 *
 * @param latency
 *            per operation; from the scheduled start in a paced phase
 * @param service
 *            per operation from the moment it was really sent (equal to {@code latency} in a closed loop)
 * @param failures
 *            failed operations by kind: an HTTP status, or an exception's class
 */
record PhaseResult(String name, int operations, long wallNanos, Histogram latency, Histogram service,
        Map<String, Integer> failures, String firstFailure, CpuUsage.Split cpu) {

    double perSecond() {
        return operations / (wallNanos / 1e9);
    }

    double seconds() {
        return wallNanos / 1e9;
    }

    int failed() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    int serverErrors() {
        return failures.entrySet().stream().filter(e -> e.getKey().startsWith("HTTP 5")).mapToInt(Map.Entry::getValue)
                .sum();
    }

    double p(double percentile) {
        return ms(latency, percentile);
    }

    static double ms(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    static double maxMs(Histogram histogram) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0;
    }

    String latencyLine(Histogram histogram) {
        return String.format(Locale.ROOT, "p50 %.1f  p90 %.1f  p99 %.1f  max %.1f ms", ms(histogram, 50),
                ms(histogram, 90), ms(histogram, 99), maxMs(histogram));
    }

    String failureLine() {
        if (failures.isEmpty()) {
            return "failures 0";
        }
        return "failures " + failed() + " " + new TreeMap<>(failures)
                + (firstFailure == null ? "" : "; first: " + firstFailure);
    }
}
