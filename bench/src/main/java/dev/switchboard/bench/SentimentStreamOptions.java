package dev.switchboard.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The flags of {@code bench/run-sentiment}'s stream phases ({@link SentimentStreamBenchmark}), bounded so that every
 * run stops by itself.
 *
 * @param rates
 *            webhooks per second of the measured phases, in this order (the claim: scored at 20 and 50)
 * @param overload
 *            a last phase above the claim (0: none), to show what happens there: a backlog, never a skip
 * @param duration
 *            seconds of each measured phase
 * @param warmup
 *            seconds of unmeasured webhooks at the first rate, before the first phase
 * @param drain
 *            seconds to wait for the last scores after a phase's last webhook was due; later ones count as missing
 * @param customers
 *            customers the webhooks come from, round-robin; at most the agent's capacity, so that every conversation is
 *            assigned and every score reaches the agent as a {@code sentiment} frame
 * @param scoringPollInterval
 *            {@code console.scoring.poll-interval} of the console; empty keeps its default
 * @param eventsPollInterval
 *            {@code switchboard.events.poll-interval} of the switchboard; empty keeps its default
 */
record SentimentStreamOptions(List<Integer> rates, int overload, int duration, int warmup, int drain, int customers,
        Optional<Duration> scoringPollInterval, Optional<Duration> eventsPollInterval, Path root) {

    static final String USAGE = """
              stream phases (the packaged switchboard and console on a stack of their own):
              --stream-rates L       webhooks per second of the measured phases, comma-separated (default 20,50)
              --stream-overload R    one more phase at R webhooks/s, above the claim; 0 for none (default 100)
              --stream-duration S    seconds of each stream phase (default 30)
              --stream-warmup S      seconds of unmeasured webhooks at the first rate (default 10)
              --stream-drain S       seconds to wait for the last scores of a phase (default 60)
              --stream-customers K   customers, at most 20, the agent's capacity (default 20)
              --scoring-poll-interval D  console.scoring.poll-interval, e.g. 50ms (default: the console's own)
              --events-poll-interval D   switchboard.events.poll-interval, e.g. 50ms (default: the switchboard's own)
            """;

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s)");

    /** Collects the stream flags among the benchmark's others. */
    static final class Builder {
        private List<Integer> rates = List.of(20, 50);
        private int overload = 100;
        private int duration = 30;
        private int warmup = 10;
        private int drain = 60;
        private int customers = 20;
        private Optional<Duration> scoringPollInterval = Optional.empty();
        private Optional<Duration> eventsPollInterval = Optional.empty();

        /** @return false when the flag is not one of the stream phases' */
        boolean accept(String flag, String value) {
            switch (flag) {
            case "--stream-rates" -> rates = Arrays.stream(value.split(",")).map(v -> number(flag, v.trim(), 1, 500))
                    .toList();
            case "--stream-overload" -> overload = number(flag, value, 0, 1000);
            case "--stream-duration" -> duration = number(flag, value, 1, 600);
            case "--stream-warmup" -> warmup = number(flag, value, 0, 120);
            case "--stream-drain" -> drain = number(flag, value, 1, 600);
            case "--stream-customers" -> customers = number(flag, value, 1, 20);
            case "--scoring-poll-interval" -> scoringPollInterval = Optional.of(duration(flag, value));
            case "--events-poll-interval" -> eventsPollInterval = Optional.of(duration(flag, value));
            default -> {
                return false;
            }
            }
            return true;
        }

        SentimentStreamOptions build() {
            return new SentimentStreamOptions(rates, overload, duration, warmup, drain, customers, scoringPollInterval,
                    eventsPollInterval, Path.of(System.getProperty("switchboard.root", ".")));
        }
    }

    /** Every phase in order: the measured rates, then the overload step if any. */
    List<Integer> phases() {
        return overload > 0 ? Stream.concat(rates.stream(), Stream.of(overload)).toList() : rates;
    }

    Path switchboardJar() {
        return root.resolve("switchboard/target/quarkus-app/quarkus-run.jar");
    }

    Path consoleJar() {
        return root.resolve("agent-console/target/quarkus-app/quarkus-run.jar");
    }

    private static int number(String flag, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new IllegalArgumentException(flag + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " is not a number: " + value);
        }
    }

    private static Duration duration(String flag, String value) {
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + " must look like 50ms or 1s: " + value);
        }
        Duration d = m.group(2).equals("ms") ? Duration.ofMillis(Long.parseLong(m.group(1)))
                : Duration.ofSeconds(Long.parseLong(m.group(1)));
        if (d.toMillis() < 10 || d.toMillis() > 5_000) {
            throw new IllegalArgumentException(flag + " must be between 10ms and 5s");
        }
        return d;
    }
}
