package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Who used the CPU during a phase, in cores (CPU seconds per wall second): each named process, this benchmark, and
 * everything else on the machine (from {@code /proc/stat}, where available). On a small machine the switchboard,
 * DynamoDB Local and the load generator compete for the same cores; this shows how.
 */
final class CpuUsage {

    private static final Path PROC_STAT = Path.of("/proc/stat");
    /** USER_HZ: the unit of /proc/stat; 100 on every mainstream Linux. */
    private static final double TICKS_PER_SECOND = 100;

    private final Map<String, Long> processes = new LinkedHashMap<>();

    /** Counts a process under a name (later names win for one pid). */
    void track(String name, long pid) {
        processes.put(name, pid);
    }

    /** CPU seconds used so far, by name, plus the machine's busy and total seconds. */
    record Sample(long nanos, Map<String, Double> cpuSeconds, double machineBusy, double machineTotal) {
    }

    /** Cores used over an interval, by name, and the machine's busy cores of its total. */
    record Split(Map<String, Double> cores, double machineBusy, int machineCores) {

        /** CPU milliseconds per operation, by process, for {@code perSecond} operations a second. */
        String perOperation(double perSecond) {
            return cores.entrySet().stream().filter(e -> !e.getKey().equals("other") && e.getValue() >= 0.005)
                    .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), 1000 * e.getValue() / perSecond))
                    .collect(Collectors.joining(" | ", "CPU ms per operation: ", ""));
        }

        double other() {
            return cores.getOrDefault("other", Double.NaN);
        }

        @Override
        public String toString() {
            String parts = cores.entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(" | "));
            if (Double.isNaN(machineBusy)) {
                return "CPU cores used: " + parts;
            }
            return String.format(Locale.ROOT, "CPU cores used: %s | machine busy %.2f of %d", parts, machineBusy,
                    machineCores);
        }
    }

    Sample sample() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        processes.forEach((name, pid) -> seconds.put(name, cpuSeconds(ProcessHandle.of(pid).orElse(null))));
        seconds.put("bench", cpuSeconds(ProcessHandle.current()));
        double[] machine = machine();
        return new Sample(System.nanoTime(), seconds, machine[0], machine[1]);
    }

    Split since(Sample before) {
        Sample now = sample();
        double wall = (now.nanos() - before.nanos()) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        double ours = 0;
        for (Map.Entry<String, Double> entry : now.cpuSeconds().entrySet()) {
            double used = (entry.getValue() - before.cpuSeconds().getOrDefault(entry.getKey(), 0.0)) / wall;
            cores.put(entry.getKey(), used);
            ours += used;
        }
        double machineBusy = Double.NaN;
        int machineCores = Runtime.getRuntime().availableProcessors();
        if (!Double.isNaN(now.machineBusy()) && !Double.isNaN(before.machineBusy())) {
            double total = now.machineTotal() - before.machineTotal();
            // /proc/stat counts every core: busy share of all ticks, times the cores they came from.
            machineCores = (int) Math.round(total / wall);
            machineBusy = (now.machineBusy() - before.machineBusy()) / wall;
            cores.put("other", Math.max(0, machineBusy - ours));
        }
        return new Split(cores, machineBusy, machineCores);
    }

    private static double cpuSeconds(ProcessHandle process) {
        if (process == null) {
            return 0;
        }
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
    }

    /** Busy and total CPU seconds of the whole machine, or NaN where there is no /proc/stat. */
    private static double[] machine() {
        try {
            List<String> lines = Files.readAllLines(PROC_STAT);
            String[] fields = lines.get(0).trim().split("\\s+");
            double total = 0;
            double idle = 0;
            // cpu user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user/nice]
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                double ticks = Double.parseDouble(fields[i]);
                total += ticks;
                if (i == 4 || i == 5) {
                    idle += ticks;
                }
            }
            return new double[] { (total - idle) / TICKS_PER_SECOND, total / TICKS_PER_SECOND };
        } catch (IOException | RuntimeException e) {
            return new double[] { Double.NaN, Double.NaN };
        }
    }
}
