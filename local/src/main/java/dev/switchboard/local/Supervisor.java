package dev.switchboard.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps the local run's processes running, as a process manager would: a component that ends is started again, at once
 * when it was asked to stop (SIGTERM, exit 143: a rolling restart) and otherwise after a back-off that doubles with
 * each crash; after {@link Policy#maxCrashes()} crashes within {@link Policy#window()} it is given up on, loudly, and
 * the rest keeps running. Every change is written to the watchdog's children file, and instances to
 * {@code run/instances} for {@code scripts/rolling-restart}.
 */
public final class Supervisor implements AutoCloseable {

    /** Exit code of a JVM that stopped on SIGTERM: asked to, not crashed. */
    static final int SIGTERM_EXIT = 143;

    /** How crashes are met. */
    public record Policy(Duration firstBackoff, Duration maxBackoff, int maxCrashes, Duration window) {
        public static Policy defaults() {
            return new Policy(Duration.ofSeconds(1), Duration.ofSeconds(30), 5, Duration.ofMinutes(10));
        }
    }

    /**
     * One supervised component.
     *
     * @param name
     *            as printed, and as scripts name it (sb1, console2, dynamodb)
     * @param port
     *            the port it listens on, 0 if none to report
     * @param server
     *            its "backend/server" in HAProxy, or empty
     * @param readyUrl
     *            answers 200 once it is ready again after a restart, or empty
     */
    public record Spec(String name, int port, Optional<String> server, Optional<String> readyUrl,
            Supplier<Running> start) {
    }

    /** A component and its state; read by the run's status lines. */
    public final class Component {
        private final Spec spec;
        private volatile Running running;
        private volatile int restarts;
        private volatile boolean givenUp;
        private volatile boolean awaitingReady;
        private volatile long restartAt;
        private final Deque<Long> crashes = new ArrayDeque<>();

        private Component(Spec spec, Running running) {
            this.spec = spec;
            this.running = running;
        }

        public String name() {
            return spec.name();
        }

        public Running running() {
            return running;
        }

        public int restarts() {
            return restarts;
        }

        public boolean givenUp() {
            return givenUp;
        }
    }

    private final Policy policy;
    private final Watchdog watchdog;
    private final Path instancesFile;
    private final Consumer<String> say;
    private final List<Component> components = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private volatile boolean stopping;
    private Thread loop;

    public Supervisor(Policy policy, Watchdog watchdog, Path instancesFile, Consumer<String> say) {
        this.policy = policy;
        this.watchdog = watchdog;
        this.instancesFile = instancesFile;
        this.say = say;
    }

    /** Starts a component now (failing as its start fails) and supervises it from then on. */
    public Component start(Spec spec) {
        Component component = new Component(spec, spec.start().get());
        components.add(component);
        written();
        return component;
    }

    /** Adopts something already started. */
    public Component adopt(Spec spec, Running running) {
        Component component = new Component(spec, running);
        components.add(component);
        written();
        return component;
    }

    public List<Component> components() {
        return List.copyOf(components);
    }

    /** Starts watching; call once everything is up. */
    public synchronized void watch() {
        if (loop == null) {
            loop = new Thread(this::run, "supervisor");
            loop.setDaemon(true);
            loop.start();
        }
    }

    private void run() {
        while (!stopping) {
            for (Component component : components) {
                try {
                    check(component);
                } catch (RuntimeException e) {
                    say.accept("error: supervising " + component.name() + ": " + e.getMessage());
                }
            }
            ChildJvm.sleep(250);
        }
    }

    private void check(Component c) {
        if (c.givenUp || stopping) {
            return;
        }
        long now = System.nanoTime();
        if (c.running != null && !c.running.isAlive()) {
            int code = c.running.exitCode();
            Path log = keep(c.running.log());
            c.running = null;
            written();
            if (code == SIGTERM_EXIT || code == 0) {
                say.accept(c.name() + " stopped on request (exit " + code + "); starting it again");
                c.restartAt = now;
            } else {
                c.crashes.addLast(now);
                while (!c.crashes.isEmpty() && now - c.crashes.peekFirst() > policy.window().toNanos()) {
                    c.crashes.removeFirst();
                }
                if (c.crashes.size() >= policy.maxCrashes()) {
                    c.givenUp = true;
                    say.accept("error: " + c.name() + " crashed " + c.crashes.size() + " times within "
                            + policy.window().toMinutes() + " min (last exit " + code + "); NOT restarting it. See "
                            + log + "; restart the run when it is fixed");
                    return;
                }
                long backoff = Math.min(policy.maxBackoff().toNanos(),
                        policy.firstBackoff().toNanos() << Math.min(20, c.crashes.size() - 1));
                c.restartAt = now + backoff;
                say.accept("warning: " + c.name() + " exited with " + code + " (crash " + c.crashes.size() + " of "
                        + policy.maxCrashes() + " allowed within " + policy.window().toMinutes()
                        + " min); restarting in " + Duration.ofNanos(backoff).toMillis() + " ms. See " + log);
            }
        }
        if (c.running == null && now >= c.restartAt) {
            try {
                c.running = c.spec.start().get();
                c.restarts++;
                c.awaitingReady = c.spec.readyUrl().isPresent();
                written();
                say.accept(c.name() + " started again, pid " + c.running.pid() + " (restarts: " + c.restarts + ")");
            } catch (RuntimeException e) {
                c.crashes.addLast(now);
                c.restartAt = now + policy.maxBackoff().toNanos();
                say.accept("warning: " + c.name() + " could not be started again: " + e.getMessage());
            }
        }
        if (c.awaitingReady && c.running != null && ready(c.spec.readyUrl().get())) {
            c.awaitingReady = false;
            say.accept(c.name() + " is ready again (restarts: " + c.restarts + ")");
        }
    }

    /** Logs kept of runs that ended: {@code name.log.1} the latest, up to {@code name.log.3}. */
    static final int KEPT_LOGS = 3;

    /**
     * Moves the log of the run that ended aside ({@code name.log.1}, older ones shifted), so the next start keeps it.
     */
    static Path keep(Path log) {
        try {
            if (Files.exists(log)) {
                for (int i = KEPT_LOGS - 1; i >= 1; i--) {
                    Path older = log.resolveSibling(log.getFileName() + "." + i);
                    if (Files.exists(older)) {
                        Files.move(older, log.resolveSibling(log.getFileName() + "." + (i + 1)),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Path previous = log.resolveSibling(log.getFileName() + ".1");
                Files.move(log, previous, StandardCopyOption.REPLACE_EXISTING);
                return previous;
            }
        } catch (IOException e) {
            // the next start overwrites it
        }
        return log;
    }

    private boolean ready(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private synchronized void written() {
        List<Running> live = new ArrayList<>();
        StringBuilder instances = new StringBuilder();
        for (Component c : components) {
            Running r = c.running;
            if (r != null) {
                live.add(r);
            }
            if (c.spec.server().isPresent()) {
                instances.append(c.name()).append('\t').append(c.spec.port()).append('\t')
                        .append(r == null || !r.isAlive() ? 0 : r.pid()).append('\t').append(c.spec.server().get())
                        .append('\t').append(c.restarts).append('\n');
            }
        }
        if (watchdog != null) {
            watchdog.write(live);
        }
        if (instancesFile != null) {
            try {
                Path next = instancesFile.resolveSibling(instancesFile.getFileName() + ".next");
                Files.writeString(next, instances, StandardCharsets.UTF_8);
                Files.move(next, instancesFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                say.accept("warning: could not write " + instancesFile + ": " + e.getMessage());
            }
        }
    }

    /**
     * Stops supervising, then stops components by group, each group's members in parallel, in the order given (the
     * applications before the storage they use).
     */
    public void stop(List<List<String>> groups) {
        stopping = true;
        for (List<String> group : groups) {
            List<Thread> threads = new ArrayList<>();
            for (Component c : components) {
                Running r = c.running;
                if (group.contains(c.name()) && r != null) {
                    Thread t = new Thread(r::stop, "stop-" + c.name());
                    t.start();
                    threads.add(t);
                }
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        for (Component c : components) {
            Running r = c.running;
            if (r != null && r.isAlive()) {
                r.stop();
            }
        }
        if (instancesFile != null) {
            try {
                Files.deleteIfExists(instancesFile);
            } catch (IOException e) {
                // a stale file names dead pids; rolling-restart checks them
            }
        }
    }

    public boolean stopping() {
        return stopping;
    }

    @Override
    public void close() {
        stop(List.of());
    }
}
