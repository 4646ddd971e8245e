package dev.switchboard.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A launcher as the local run builds one, with its watchdog and supervisor, but light children: two JVMs listening on
 * the given ports and a real redis-server. Prints "ready" and the children's pids, then waits to be killed.
 */
public final class LauncherProbe {

    private LauncherProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path run = Path.of(args[0]);
        ChildJvm.startInOwnSessions();
        Watchdog watchdog = Watchdog.start(run.resolve("children"));
        Supervisor supervisor = new Supervisor(Supervisor.Policy.defaults(), watchdog, run.resolve("instances"),
                System.out::println);
        String classpath = System.getProperty("java.class.path");
        StringBuilder pids = new StringBuilder("ready");
        for (int i = 1; i <= 2; i++) {
            String port = args[i];
            String name = "probe-child-" + i;
            Supervisor.Component c = supervisor.start(new Supervisor.Spec(name, Integer.parseInt(port),
                    Optional.of("switchboards/sb" + i), Optional.empty(),
                    () -> started(
                            ChildJvm.start(name, List.of("-Xmx32m", "-cp", classpath),
                                    List.of(Sleeper.class.getName(), port), Map.of(), run, false),
                            Integer.parseInt(port))));
            pids.append(' ').append(c.running().pid());
        }
        int redisPort = Integer.parseInt(args[3]);
        Supervisor.Component redis = supervisor.start(new Supervisor.Spec("redis", redisPort, Optional.empty(),
                Optional.empty(), () -> RedisServer.start(redisPort, run)));
        pids.append(' ').append(redis.running().pid());
        supervisor.watch();
        System.out.println(pids);
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static ChildJvm started(ChildJvm jvm, int port) {
        jvm.removeExitHook();
        jvm.awaitPort(port, java.time.Duration.ofSeconds(30));
        return jvm;
    }
}
