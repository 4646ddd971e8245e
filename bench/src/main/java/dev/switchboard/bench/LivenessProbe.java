package dev.switchboard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Times {@code GET /q/health/live} every {@value #INTERVAL_MS} ms from a process of its own, so that the load
 * generator's garbage collections and threads (thousands of sockets, a flood of handshakes) never show up as the
 * switchboard's latency. {@link #start} runs it as a child JVM and files each latency under the phase the benchmark is
 * in; {@link #main} is the child: one line per probe on stdout ({@code <micros> <status>}), until its stdin closes.
 */
final class LivenessProbe implements AutoCloseable {

    static final int INTERVAL_MS = 50;
    /** What the issue asks of liveness, whatever clients do. */
    static final long LIMIT_MICROS = TimeUnit.SECONDS.toMicros(1);
    private static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(30);

    /** One phase's probes: latencies, how many took longer than a second, how many failed. */
    record Phase(String name, Histogram latency, int[] slow, int[] failed) {

        String line() {
            return String.format(Locale.ROOT,
                    "liveness during %s: %d probes, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d over 1 s, %d failed",
                    name, latency.getTotalCount(), latency.getValueAtPercentile(50) / 1e3,
                    latency.getValueAtPercentile(99) / 1e3, latency.getMaxValue() / 1e3, slow[0], failed[0]);
        }
    }

    private final Process process;
    private final Thread reader;
    private final AtomicReference<Phase> current = new AtomicReference<>();

    private LivenessProbe(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "liveness-reader");
        this.reader.setDaemon(true);
    }

    static LivenessProbe start(URI base) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx32m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), LivenessProbe.class.getName(), base + "/q/health/live"))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        LivenessProbe probe = new LivenessProbe(process);
        probe.reader.start();
        return probe;
    }

    /** From now on, probes count towards a new phase of this name. */
    Phase phase(String name) {
        Phase phase = new Phase(name, new ConcurrentHistogram(MAX_MICROS, 3), new int[1], new int[1]);
        current.set(phase);
        return phase;
    }

    /** Probes stop counting towards the current phase. */
    void pause() {
        current.set(null);
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String[] fields = line.trim().split(" ");
                Phase phase = current.get();
                if (phase == null || fields.length < 2) {
                    continue;
                }
                long micros = Math.min(MAX_MICROS, Math.max(1, Long.parseLong(fields[0])));
                synchronized (phase) {
                    phase.latency().recordValue(micros);
                    if (micros > LIMIT_MICROS) {
                        phase.slow()[0]++;
                    }
                    if (!fields[1].equals("200")) {
                        phase.failed()[0]++;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("liveness probe output: " + e);
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
            }
            reader.join(5000);
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }

    /** The child: probes until stdin closes (the parent is done or gone). */
    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent; end of input is the signal
                }
            } catch (IOException e) {
                // the parent is gone
            }
            System.exit(0);
        }, "stdin");
        watcher.setDaemon(true);
        watcher.start();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build();
        while (true) {
            long start = System.nanoTime();
            String status;
            try {
                status = Integer.toString(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
            } catch (IOException e) {
                status = e.getClass().getSimpleName();
            }
            System.out.println((System.nanoTime() - start) / 1000 + " " + status);
            System.out.flush();
            Thread.sleep(INTERVAL_MS);
        }
    }
}
