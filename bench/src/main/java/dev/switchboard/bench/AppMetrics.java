package dev.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The switchboard's own timers, read from its Prometheus endpoint before and after a phase: how long, on average, it
 * spent storing each message (its one DynamoDB transaction) and serving each webhook, next to what the client saw.
 */
final class AppMetrics {

    private final URI metrics;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Running totals: seconds and counts of the store timer and of the webhook's HTTP timer. */
    record Totals(double storeSeconds, double storeCount, double httpSeconds, double httpCount) {
    }

    AppMetrics(URI target) {
        this.metrics = URI.create(target + "/q/metrics");
    }

    Optional<Totals> read() {
        try {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            double storeSeconds = 0;
            double storeCount = 0;
            double httpSeconds = 0;
            double httpCount = 0;
            for (String line : response.body().split("\n")) {
                if (line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("switchboard_store_seconds_sum")) {
                    storeSeconds += value(line);
                } else if (line.startsWith("switchboard_store_seconds_count")) {
                    storeCount += value(line);
                } else if (line.contains("uri=\"/twilio/messages\"")) {
                    if (line.startsWith("http_server_requests_seconds_sum")) {
                        httpSeconds += value(line);
                    } else if (line.startsWith("http_server_requests_seconds_count")) {
                        httpCount += value(line);
                    }
                }
            }
            return Optional.of(new Totals(storeSeconds, storeCount, httpSeconds, httpCount));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Mean store and server time per webhook between two readings, or empty if either is missing. */
    static Optional<String> between(Optional<Totals> before, Optional<Totals> after) {
        if (before.isEmpty() || after.isEmpty()) {
            return Optional.empty();
        }
        Totals a = before.get();
        Totals b = after.get();
        double stores = b.storeCount() - a.storeCount();
        double requests = b.httpCount() - a.httpCount();
        if (stores <= 0 || requests <= 0) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "switchboard's own timers: mean %.2f ms in the server per webhook, of which %.2f ms storing"
                        + " (its one conditional put)",
                1000 * (b.httpSeconds() - a.httpSeconds()) / requests,
                1000 * (b.storeSeconds() - a.storeSeconds()) / stores));
    }

    private static double value(String line) {
        String[] parts = line.trim().split("\\s+");
        return Double.parseDouble(parts[parts.length - 1]);
    }
}
