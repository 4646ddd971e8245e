package dev.switchboard.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** The benchmark's command-line flags, validated and bounded so that every run stops by itself. */
record Options(int requests, int concurrency, int rate, int duration, int warmup, int customers, int lagRate,
        int lagDuration, Optional<URI> target, Optional<URI> dynamodb, Path root, Optional<Path> app,
        String authToken) {

    static final String USAGE = """
            usage: bench/run-inbound [flags]
              --requests N      webhooks in the throughput phase, and puts in each raw DynamoDB phase (default 5000)
              --concurrency C   client threads in the closed-loop phases (default 8)
              --rate R          requests per second in the paced phase (default 200)
              --duration S      seconds of the paced phase (default 30)
              --warmup W        unmeasured webhooks, and raw writes of each kind, before measuring (default 2000)
              --customers K     distinct customer numbers the webhooks come from (default 2000)
              --lag-rate R      webhooks per second while the write-to-projection lag is measured (default 100)
              --lag-duration S  seconds of that phase; 0 skips it (default 20)
              --target URL      use a running switchboard (loopback only) instead of starting one; needs --dynamodb
              --dynamodb URL    the DynamoDB Local that switchboard uses (loopback only); needs --target
              --app JAR         the packaged switchboard (default switchboard/target/quarkus-app/quarkus-run.jar)
              --auth-token T    the Twilio auth token the switchboard checks (default local-dev-token)
            """;

    static Options parse(String[] args) {
        int requests = 5000;
        int concurrency = 8;
        int rate = 200;
        int duration = 30;
        int warmup = 2000;
        int customers = 2000;
        int lagRate = 100;
        int lagDuration = 20;
        URI target = null;
        URI dynamodb = null;
        Path app = null;
        String authToken = "local-dev-token";
        Path root = Path.of(System.getProperty("switchboard.root", ".")).toAbsolutePath().normalize();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new UsageException(null);
            }
            if (i + 1 >= args.length) {
                throw new UsageException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
            case "--requests" -> requests = number(flag, value, 1, 1_000_000);
            case "--concurrency" -> concurrency = number(flag, value, 1, 256);
            case "--rate" -> rate = number(flag, value, 1, 10_000);
            case "--duration" -> duration = number(flag, value, 1, 600);
            case "--warmup" -> warmup = number(flag, value, 0, 100_000);
            case "--customers" -> customers = number(flag, value, 1, 8_999_999);
            case "--lag-rate" -> lagRate = number(flag, value, 1, 1000);
            case "--lag-duration" -> lagDuration = number(flag, value, 0, 600);
            case "--target" -> target = loopback(flag, value);
            case "--dynamodb" -> dynamodb = loopback(flag, value);
            case "--app" -> app = Path.of(value);
            case "--auth-token" -> authToken = value;
            default -> throw new UsageException("unknown flag " + flag);
            }
        }
        if ((target == null) != (dynamodb == null)) {
            throw new UsageException("--target and --dynamodb go together: both, or neither to start a local stack");
        }
        return new Options(requests, concurrency, rate, duration, warmup, customers, lagRate, lagDuration,
                Optional.ofNullable(target), Optional.ofNullable(dynamodb), root, Optional.ofNullable(app), authToken);
    }

    /** Requests in the paced phase. */
    int pacedRequests() {
        return rate * duration;
    }

    /** Requests in the projection-lag phase. */
    int lagRequests() {
        return lagRate * lagDuration;
    }

    Path appJar() {
        return app.orElse(root.resolve("switchboard/target/quarkus-app/quarkus-run.jar"));
    }

    private static int number(String flag, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new UsageException(flag + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " is not a number: " + value);
        }
    }

    /** All traffic stays on this machine. */
    private static URI loopback(String flag, String value) {
        URI uri;
        try {
            uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + " is not a URL: " + value);
        }
        String host = uri.getHost();
        if (!"http".equals(uri.getScheme()) || host == null || uri.getPort() < 0) {
            throw new UsageException(flag + " must look like http://localhost:PORT");
        }
        if (!(host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"))) {
            throw new UsageException(flag + " must point at this machine (localhost or 127.0.0.1): " + value);
        }
        return uri;
    }

    /** A flag was wrong; the message says which (none for --help). */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
