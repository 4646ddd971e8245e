package dev.switchboard.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Waiting for the run's applications: ready on their health check, and the stream leased and being read. */
final class Readiness {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The gauge the switchboard's stream consumer keeps: shards this instance holds a lease on and reads. */
    private static final Pattern SHARDS = Pattern
            .compile("(?m)^switchboard_events_shards(?:\\{[^}]*})? ([0-9.Ee+-]+)$");

    private Readiness() {
    }

    /** A started application and the URL that answers 200 once it is ready. */
    record Starting(String what, String readyUrl, Running process) {
    }

    /** Waits for all of them at once, so that one that dies early is reported at once. */
    static void awaitReady(List<Starting> apps, Duration timeout) {
        List<Starting> waiting = new ArrayList<>(apps);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            for (Iterator<Starting> it = waiting.iterator(); it.hasNext();) {
                Starting app = it.next();
                if (!app.process().isAlive()) {
                    throw new IllegalStateException(app.what() + " exited during start-up" + logTail(app.process()));
                }
                if (status(app.readyUrl()) == 200) {
                    it.remove();
                }
            }
            ChildJvm.sleep(250);
        }
        for (Starting app : waiting) {
            throw new IllegalStateException(app.what() + " did not become ready at " + app.readyUrl() + " within "
                    + timeout.toSeconds() + " s" + logTail(app.process()));
        }
    }

    /**
     * Waits until some instance holds a lease on the messages stream and reads it (its
     * {@code switchboard_events_shards} gauge is above 0): only then does a text sent now reach an agent.
     *
     * @return whether it happened within the timeout
     */
    static boolean awaitStreamLeased(List<String> switchboardUrls, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String url : switchboardUrls) {
                if (leasedShards(url).orElse(0) > 0) {
                    return true;
                }
            }
            ChildJvm.sleep(250);
        }
        return false;
    }

    /** How many shards the instance at {@code baseUrl} reads, or empty when it does not answer. */
    static OptionalInt leasedShards(String baseUrl) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = SHARDS.matcher(response.body());
            return m.find() ? OptionalInt.of((int) Double.parseDouble(m.group(1))) : OptionalInt.of(0);
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The end of a child's log file, or a pointer to its output above when it writes to the terminal. */
    static String logTail(Running app) {
        Path log = app.log();
        try {
            if (Files.exists(log) && Files.size(log) > 0) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return "; last lines of " + log + ":\n  "
                        + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
            }
        } catch (IOException | RuntimeException unreadable) {
            // fall through to the general hint
        }
        return "; see its output above";
    }
}
