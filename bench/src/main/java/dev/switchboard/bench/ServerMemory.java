package dev.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one switchboard process holds: heap used right after a full GC ({@code jcmd <pid> GC.run}, then
 * {@code jvm_memory_used_bytes{area="heap"}} from {@code /q/metrics}), RSS from {@code /proc/<pid>/status}, and its GC
 * pauses as Micrometer counts them.
 */
final class ServerMemory {

    private static final Pattern HEAP = Pattern
            .compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.E+]+)$");
    private static final Pattern GC_COUNT = Pattern.compile("(?m)^jvm_gc_pause_seconds_count\\{[^}]*} ([0-9.E+]+)$");
    private static final Pattern GC_SUM = Pattern.compile("(?m)^jvm_gc_pause_seconds_sum\\{[^}]*} ([0-9.E+-]+)$");
    private static final Pattern GC_MAX = Pattern.compile("(?m)^jvm_gc_pause_seconds_max\\{[^}]*} ([0-9.E+-]+)$");

    record Memory(long heapBytes, long rssBytes) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "heap %.1f MB (after GC), RSS %.1f MB", heapBytes / 1048576.0,
                    rssBytes / 1048576.0);
        }
    }

    private final HttpClient http;
    private final URI base;
    private final long pid;

    ServerMemory(HttpClient http, URI base, long pid) {
        this.http = http;
        this.base = base;
        this.pid = pid;
    }

    static String perSocket(Memory before, Memory with, long sockets) {
        return String.format(Locale.ROOT, "per socket: heap %.1f KB, RSS %.1f KB",
                (with.heapBytes() - before.heapBytes()) / 1024.0 / sockets,
                (with.rssBytes() - before.rssBytes()) / 1024.0 / sockets);
    }

    Memory memory() throws Exception {
        new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return new Memory((long) sum(HEAP, metrics()), rss);
    }

    /** GC pauses so far: {@code count}, {@code sum} (seconds) and {@code max} (the longest in Micrometer's window). */
    Map<String, Double> gc() throws Exception {
        String metrics = metrics();
        Map<String, Double> result = new LinkedHashMap<>();
        result.put("count", sum(GC_COUNT, metrics));
        result.put("sum", sum(GC_SUM, metrics));
        double max = 0;
        Matcher m = GC_MAX.matcher(metrics);
        while (m.find()) {
            max = Math.max(max, Double.parseDouble(m.group(1)));
        }
        result.put("max", max);
        return result;
    }

    private String metrics() throws Exception {
        return http
                .send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static double sum(Pattern pattern, String text) {
        double total = 0;
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
