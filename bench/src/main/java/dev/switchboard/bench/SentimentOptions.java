package dev.switchboard.bench;

import java.util.Arrays;
import java.util.List;

/** The flags of {@code bench/run-sentiment}, bounded so that every run stops by itself. */
record SentimentOptions(List<Integer> threads, int count, int warmup, int runs, List<Integer> rates, int duration,
        int latencyThreads, int parseMaxLength, Mode mode, SentimentStreamOptions stream) {

    static final String USAGE = """
            usage: bench/run-sentiment [flags]
              --threads L            worker threads of the throughput phases, comma-separated (default 1,2)
              --count N              messages per throughput run (default 400)
              --warmup N             unmeasured messages before the first run (default 600)
              --runs R               runs of every phase (default 3)
              --rates L              messages per second of the latency phases, comma-separated (default 20,50)
              --duration S           seconds of each latency phase (default 20)
              --latency-threads T    worker threads of the latency phases (default 2, the console's default)
              --parse-max-length N   console.sentiment.parse-max-length (default 80, the console's default)
              --mode M               all (default): in process, then through the stream; in-process; stream
            """ + SentimentStreamOptions.USAGE;

    /** What a run measures: the scoring in process, text-to-score through the packaged stack, or both. */
    enum Mode {
        ALL, IN_PROCESS, STREAM;

        boolean inProcess() {
            return this != STREAM;
        }

        boolean stream() {
            return this != IN_PROCESS;
        }
    }

    static SentimentOptions parse(String[] args) {
        List<Integer> threads = List.of(1, 2);
        List<Integer> rates = List.of(20, 50);
        int count = 400;
        int warmup = 600;
        int runs = 3;
        int duration = 20;
        int latencyThreads = 2;
        int parseMaxLength = 80;
        Mode mode = Mode.ALL;
        SentimentStreamOptions.Builder stream = new SentimentStreamOptions.Builder();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h") || i + 1 >= args.length) {
                throw new IllegalArgumentException(USAGE);
            }
            String value = args[++i];
            switch (args[i - 1]) {
            case "--threads" -> threads = list(value, 1, 16);
            case "--count" -> count = number(value, 10, 100_000);
            case "--warmup" -> warmup = number(value, 0, 100_000);
            case "--runs" -> runs = number(value, 1, 20);
            case "--rates" -> rates = list(value, 1, 1000);
            case "--duration" -> duration = number(value, 1, 600);
            case "--latency-threads" -> latencyThreads = number(value, 1, 16);
            case "--parse-max-length" -> parseMaxLength = number(value, 5, 1000);
            case "--mode" -> mode = switch (value) {
            case "all" -> Mode.ALL;
            case "in-process" -> Mode.IN_PROCESS;
            case "stream" -> Mode.STREAM;
            default -> throw new IllegalArgumentException("--mode is all, in-process or stream\n" + USAGE);
            };
            default -> {
                if (!stream.accept(args[i - 1], value)) {
                    throw new IllegalArgumentException("unknown flag " + args[i - 1] + "\n" + USAGE);
                }
            }
            }
        }
        return new SentimentOptions(threads, count, warmup, runs, rates, duration, latencyThreads, parseMaxLength, mode,
                stream.build());
    }

    private static int number(String value, int min, int max) {
        int n = Integer.parseInt(value);
        if (n < min || n > max) {
            throw new IllegalArgumentException(value + " is not within " + min + ".." + max);
        }
        return n;
    }

    private static List<Integer> list(String value, int min, int max) {
        return Arrays.stream(value.split(",")).map(v -> number(v.trim(), min, max)).toList();
    }
}
