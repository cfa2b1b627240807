package io.carbonstream.benchmarks.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * The processes a benchmark watches: the local stack's (their pid files in the launcher's run directory: the
 * broker, PostgreSQL, the three services) and any it starts itself (the three-hop relays). It samples each one's
 * resident memory every 250 ms, keeping the largest, and reads their CPU time (user + system, from
 * {@code /proc/<pid>/stat}) when asked, so that a phase can say how much CPU each process spent per event.
 */
final class ProcessSampler implements AutoCloseable {

    /** Clock ticks per second of {@code /proc/<pid>/stat}'s times (USER_HZ; 100 on every Linux we know). */
    static final long TICKS_PER_SECOND = ticksPerSecond();

    private final Map<String, Long> pids = new ConcurrentSkipListMap<>();
    private final Map<String, Long> maxKb = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean stop;

    ProcessSampler(Path runDir) throws IOException {
        if (runDir != null && Files.isDirectory(runDir)) {
            try (var files = Files.list(runDir)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                    String name = f.getFileName().toString().replace(".pid", "");
                    if (name.endsWith("-broker")) {
                        name = name.startsWith("kafka") ? "broker" : name.replace("-broker", "");
                    } else if (name.equals("kafka") || name.equals("postgres")) {
                        continue; // the launchers of the infrastructure, not the servers
                    }
                    try {
                        pids.put(name, Long.parseLong(Files.readString(f).trim()));
                    } catch (NumberFormatException e) {
                        // an empty pid file: that process is not running
                    }
                }
            }
        }
        sampler = new Thread(() -> {
            while (!stop) {
                pids.forEach((name, pid) -> maxKb.merge(name, rssKb(pid), Math::max));
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    void watch(String name, long pid) {
        pids.put(name, pid);
    }

    void forget(String name) {
        pids.remove(name);
        maxKb.remove(name);
    }

    /** The largest RSS of each process since the last call, in MiB; then starts again. */
    String phase() {
        StringBuilder out = new StringBuilder();
        pids.keySet().forEach(name -> {
            Long kb = maxKb.remove(name);
            if (kb != null && kb > 0) {
                out.append(out.isEmpty() ? "" : ", ").append(name).append(' ').append(kb / 1024).append(" MiB");
            }
        });
        return out.isEmpty() ? "(no processes found: give --run-dir)" : out.toString();
    }

    /** The CPU time each watched process whose name passes {@code which} has spent so far, from now on. */
    Cpu cpu(Predicate<String> which) {
        Map<String, Long> start = new TreeMap<>();
        pids.forEach((name, pid) -> {
            if (which.test(name)) {
                start.put(name, cpuNanos(pid));
            }
        });
        return new Cpu(start);
    }

    /** CPU time since a start, per process. */
    final class Cpu {
        private final Map<String, Long> start;

        private Cpu(Map<String, Long> start) {
            this.start = start;
        }

        /** Microseconds of CPU per event of each process since the start, in the start's order. */
        Map<String, Double> perEvent(long events) {
            Map<String, Double> us = new LinkedHashMap<>();
            start.forEach((name, nanos) -> {
                Long pid = pids.get(name);
                long now = pid == null ? -1 : cpuNanos(pid);
                us.put(name, now < 0 || nanos < 0 ? Double.NaN : (now - nanos) / 1e3 / events);
            });
            return us;
        }
    }

    /** Sums the processes whose names pass {@code which}. */
    static double sum(Map<String, Double> perEvent, Predicate<String> which) {
        return perEvent.entrySet().stream().filter(e -> which.test(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
    }

    /** {@code name 12.3 us, ...}: microseconds, in ASCII for any terminal. */
    static String format(Map<String, Double> perEvent) {
        StringBuilder out = new StringBuilder();
        perEvent.forEach((name, us) -> out.append(out.isEmpty() ? "" : ", ").append(name).append(' ')
                .append(String.format(Locale.ROOT, "%,.1f us", us)));
        return out.toString();
    }

    /** User plus system CPU time of a process in nanoseconds, or -1 when it cannot be read (gone, not Linux). */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // fields after the command name (which is in parentheses and may hold spaces): state is field 3,
            // utime field 14 and stime field 15 (proc(5))
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1_000_000_000L / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return 0;
    }

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | RuntimeException e) {
            // no getconf: the Linux default below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }

    @Override
    public void close() {
        stop = true;
    }
}
