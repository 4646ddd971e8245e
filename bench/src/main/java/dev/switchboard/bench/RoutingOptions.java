package dev.switchboard.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Flags of {@link RoutingLatencyBenchmark}, validated and bounded so that every run stops by itself.
 *
 * @param instances
 *            the stacks to run, one after the other: 1 (in-process delivery) and/or 2 (Redis between them)
 * @param rates
 *            webhooks per second of each measured phase, run in this order on each stack
 * @param pollInterval
 *            {@code switchboard.events.poll-interval} handed to every switchboard; empty keeps its default
 */
record RoutingOptions(List<Integer> instances, List<Integer> rates, int duration, int warmup, int drain, int customers,
        int agents, int available, int capacity, int setupConcurrency, Optional<Duration> pollInterval, Path root,
        Optional<Path> app) {

    /** The most agents a run creates: a team of a thousand, as issue 10 sets. */
    static final int MAX_AGENTS = 1000;

    static final String USAGE = """
            usage: bench/run-routing [flags]
              --instances L     switchboards per stack, comma-separated, each its own fresh stack: 1 (in-process
                                delivery, no Redis) and/or 2 (Redis pub/sub between them) (default 1,2)
              --rates L         webhooks per second of the measured phases, comma-separated (default 20,100)
              --duration S      seconds of each measured phase (default 30)
              --warmup S        seconds of unmeasured webhooks at the same rate before each phase (default 10)
              --drain S         seconds to wait for frames after the last webhook was due; later ones are lost
                                (default 15)
              --customers K     customers the webhooks come from, round-robin (default 40)
              --agents A        agents created through the admin API, each with a socket, spread evenly over the
                                instances, at most 1000 (default 4)
              --available V     how many of them go available with --capacity; the rest stay signed in and away,
                                so routing must pass them by (default: all of them)
              --capacity C      each available agent's capacity, at most 20 (default 20)
              --setup-concurrency N  agents created, signed in and connected at once (default 8)
              --poll-interval D switchboard.events.poll-interval of every switchboard, e.g. 50ms (default: the
                                switchboard's own, 100ms)
              --app JAR         the packaged switchboard (default switchboard/target/quarkus-app/quarkus-run.jar)
            """;

    static RoutingOptions parse(String[] args) {
        List<Integer> instances = List.of(1, 2);
        List<Integer> rates = List.of(20, 100);
        int duration = 30;
        int warmup = 10;
        int drain = 15;
        int customers = 40;
        int agents = 4;
        Integer available = null;
        int capacity = 20;
        int setupConcurrency = 8;
        Duration pollInterval = null;
        Path app = null;
        Path root = Path.of(System.getProperty("switchboard.root", ".")).toAbsolutePath().normalize();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new Options.UsageException(null);
            }
            if (i + 1 >= args.length) {
                throw new Options.UsageException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
            case "--instances" -> instances = list(flag, value, 1, 2);
            case "--rates" -> rates = list(flag, value, 1, 1000);
            case "--duration" -> duration = number(flag, value, 1, 600);
            case "--warmup" -> warmup = number(flag, value, 0, 300);
            case "--drain" -> drain = number(flag, value, 1, 120);
            case "--customers" -> customers = number(flag, value, 1, 1000);
            case "--agents" -> agents = number(flag, value, 1, MAX_AGENTS);
            case "--available" -> available = number(flag, value, 1, MAX_AGENTS);
            case "--capacity" -> capacity = number(flag, value, 1, 20);
            case "--setup-concurrency" -> setupConcurrency = number(flag, value, 1, 64);
            case "--poll-interval" -> pollInterval = duration(flag, value);
            case "--app" -> app = Path.of(value);
            default -> throw new Options.UsageException("unknown flag " + flag);
            }
        }
        int availableAgents = available == null ? agents : available;
        if (availableAgents > agents) {
            throw new Options.UsageException("--available " + availableAgents + " is more than --agents " + agents);
        }
        int maxInstances = instances.stream().mapToInt(Integer::intValue).max().orElse(1);
        if (availableAgents < maxInstances) {
            throw new Options.UsageException("--available must be at least the number of instances (" + maxInstances
                    + "), so that every instance holds an available agent's socket");
        }
        if (customers > availableAgents * capacity) {
            throw new Options.UsageException(
                    "--customers " + customers + " is more than the available agents can hold (" + availableAgents
                            + " x " + capacity + "): conversations would wait in the queue");
        }
        return new RoutingOptions(instances, rates, duration, warmup, drain, customers, agents, availableAgents,
                capacity, setupConcurrency, Optional.ofNullable(pollInterval), root, Optional.ofNullable(app));
    }

    Path appJar() {
        return app.orElse(root.resolve("switchboard/target/quarkus-app/quarkus-run.jar"));
    }

    private static List<Integer> list(String flag, String value, int min, int max) {
        List<Integer> numbers = new ArrayList<>();
        for (String part : value.split(",")) {
            numbers.add(number(flag, part.trim(), min, max));
        }
        if (numbers.isEmpty() || numbers.size() > 10) {
            throw new Options.UsageException(flag + " takes 1 to 10 values");
        }
        return List.copyOf(numbers);
    }

    private static int number(String flag, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new Options.UsageException(flag + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Options.UsageException(flag + " is not a number: " + value);
        }
    }

    /** 50ms, 1s or an ISO-8601 duration, between 10 ms and 10 s. */
    private static Duration duration(String flag, String value) {
        Duration parsed;
        try {
            if (value.endsWith("ms")) {
                parsed = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            } else if (value.endsWith("s")) {
                parsed = Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            } else {
                parsed = Duration.parse(value);
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new Options.UsageException(flag + " is not a duration like 50ms: " + value);
        }
        if (parsed.toMillis() < 10 || parsed.toMillis() > 10_000) {
            throw new Options.UsageException(flag + " must be between 10ms and 10s");
        }
        return parsed;
    }
}
