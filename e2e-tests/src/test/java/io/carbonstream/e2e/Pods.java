package io.carbonstream.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A pod of the rendered manifests run as a podman container, as the kubelet runs it: the container's image, env,
 * user and group (runAsUser, runAsGroup, fsGroup), a read-only root file system with only the pod's volumes
 * writable, no capabilities, no privilege escalation, the memory and CPU limits of {@code resources.limits}; and
 * the kubelet's probes (startup, then liveness and readiness, with their paths, periods, thresholds and timeouts),
 * which kill and restart a container that fails its startup or liveness probe, as {@code restartPolicy: Always}
 * restarts one that exits. The containers share the host's network (the broker and PostgreSQL run on this machine),
 * so the HTTP port is the one thing mapped: {@code QUARKUS_HTTP_PORT}.
 */
final class Pods {

    private Pods() {
    }

    /** One pod: its container, its volumes (host directories) and its kubelet. */
    static final class Pod implements AutoCloseable {
        final String service;
        final String name;
        final JsonNode container;
        final Path volumes;
        final int httpPort;
        final long memoryLimit;
        final List<String> run;
        final int gracePeriod;
        final AtomicInteger livenessRestarts = new AtomicInteger();
        final AtomicInteger exitRestarts = new AtomicInteger();
        final AtomicBoolean ready = new AtomicBoolean();
        final AtomicBoolean started = new AtomicBoolean();
        final AtomicLong peakMemory = new AtomicLong();
        final AtomicLong peakWorkingSet = new AtomicLong();
        final AtomicInteger oomKills = new AtomicInteger();
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicBoolean terminating = new AtomicBoolean();
        /** Per probe (startup, liveness, readiness): how many ran, how many failed, the slowest answer in ms. */
        final Map<String, long[]> probes = new java.util.concurrent.ConcurrentHashMap<>();
        private Thread kubelet;
        private volatile String cgroup;
        /** The host PID of the container's process; 0 until {@link #locate()} finds it running. */
        private volatile long pid;

        Pod(String service, JsonNode podSpec, Path volumes, int httpPort, Map<String, String> env,
            Map<String, Path> files, Map<String, String> configMaps, UnaryOperator<String> toThisMachine,
            List<String> claims) throws IOException, InterruptedException {
            this.service = service;
            this.name = "carbonstream-it-" + volumes.getFileName();
            this.container = podSpec.at("/containers/0");
            this.volumes = volumes;
            this.httpPort = httpPort;
            this.gracePeriod = podSpec.path("terminationGracePeriodSeconds").asInt(30);
            JsonNode security = podSpec.path("securityContext");
            JsonNode limits = container.at("/resources/limits");
            this.memoryLimit = bytes(limits.path("memory").asText());
            List<String> cmd = new ArrayList<>(List.of("podman", "run", "-d", "--name", name, "--network", "host",
                    "--user", security.path("runAsUser").asText() + ":" + security.path("runAsGroup").asText(),
                    "--group-add", security.path("fsGroup").asText(),
                    "--memory", String.valueOf(memoryLimit), "--memory-swap", String.valueOf(memoryLimit),
                    "--security-opt", "no-new-privileges"));
            JsonNode ctx = container.path("securityContext");
            if (ctx.path("readOnlyRootFilesystem").asBoolean()) {
                // and no tmpfs of podman's own on /tmp, /run, /var/tmp: only the pod's volumes are writable
                cmd.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
            }
            for (JsonNode cap : ctx.at("/capabilities/drop")) {
                cmd.addAll(List.of("--cap-drop", cap.asText()));
            }
            if (limits.has("cpu")) {
                cmd.addAll(List.of("--cpus", String.valueOf(cpus(limits.path("cpu").asText()))));
            }
            for (var e : env.entrySet()) {
                cmd.addAll(List.of("-e", e.getKey() + "=" + e.getValue()));
            }
            cmd.addAll(List.of("-e", "QUARKUS_HTTP_PORT=" + httpPort));
            for (JsonNode mount : container.path("volumeMounts")) {
                String volume = mount.path("name").asText();
                Path dir = volumes.resolve(volume);
                if (!Files.exists(dir)) {
                    Files.createDirectories(dir);
                    fill(dir, volume(podSpec, volume), claims.contains(volume), files, configMaps, toThisMachine);
                }
                cmd.addAll(List.of("-v", dir + ":" + mount.path("mountPath").asText()
                        + (mount.path("readOnly").asBoolean() ? ":ro" : ":rw")));
            }
            cmd.add(container.path("image").asText());
            this.run = List.copyOf(cmd);
        }

        /** A volume's content: a ConfigMap's data, a Secret's items; an emptyDir or a claim is an empty directory of the pod's group. */
        private void fill(Path dir, JsonNode volume, boolean claim, Map<String, Path> files, Map<String, String> configMaps,
                          UnaryOperator<String> toThisMachine) throws IOException, InterruptedException {
            if (volume != null && volume.has("configMap")) {
                String map = volume.at("/configMap/name").asText();
                String text = configMaps.get(map);
                if (text == null) {
                    throw new AssertionError(service + ": no ConfigMap " + map + " in the rendered manifests");
                }
                Files.writeString(dir.resolve("application.properties"), toThisMachine.apply(text));
            } else if (volume != null && volume.has("secret")) {
                secretItems(dir, volume, files);
            } else if (claim || (volume != null && volume.has("emptyDir"))) {
                sh("chown", "185:185", dir.toString());
            } else {
                throw new AssertionError(service + ": volume " + dir.getFileName() + " of a kind this test cannot give");
            }
        }

        /** A Secret volume's items, from {@code files} by key, at their paths in {@code dir}; a key without a file is left out. */
        static void secretItems(Path dir, JsonNode volume, Map<String, Path> files) throws IOException {
            for (JsonNode item : volume.at("/secret/items")) {
                Path source = files.get(item.path("key").asText());
                if (source != null) {
                    Path to = dir.resolve(item.path("path").asText());
                    Files.copy(source, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }

        private static JsonNode volume(JsonNode podSpec, String name) {
            for (JsonNode v : podSpec.path("volumes")) {
                if (v.path("name").asText().equals(name)) {
                    return v;
                }
            }
            return null;
        }

        /** Creates and starts the container, and its kubelet. */
        Pod start() throws IOException, InterruptedException {
            sh("podman", "rm", "-f", "-i", name);
            sh(run.toArray(String[]::new));
            kubelet = new Thread(this::kubelet, "kubelet-" + service);
            kubelet.setDaemon(true);
            kubelet.start();
            return this;
        }

        /**
         * Whether the container's process is alive: {@code /proc/<pid>}, once its PID is known, rather than a
         * {@code podman inspect} (a process of its own, tens of ms of CPU) every time the kubelet loop asks.
         */
        boolean running() {
            if (pid <= 0) {
                locate();
            }
            return pid > 0 && Files.exists(Path.of("/proc/" + pid));
        }

        /** The container's host PID and memory cgroup, read once after each start. */
        private void locate() {
            try {
                String[] state = out("podman", "inspect", "--format", "{{.State.Pid}} {{.State.CgroupPath}}", name).strip().split(" ", 2);
                long found = Long.parseLong(state[0]);
                cgroup = found > 0 && state.length == 2 ? "/sys/fs/cgroup/memory" + state[1] : null;
                pid = found;
            } catch (Exception e) {
                pid = 0;
                cgroup = null;
            }
        }

        /** SIGKILL, as an OOM kill or a node's crash would; the kubelet restarts the container on the same volumes. */
        void kill9() throws IOException, InterruptedException {
            sh("podman", "kill", "--signal", "KILL", name);
        }

        /** SIGTERM and the pod's grace period, then SIGKILL, as a rolling update stops it; the kubelet starts it again. */
        void stop() throws IOException, InterruptedException {
            // a terminating pod is not probed (a failed liveness probe must not restart it while it stops), and not ready
            terminating.set(true);
            ready.set(false);
            started.set(false);
            try {
                sh("podman", "stop", "-t", String.valueOf(gracePeriod), name);
            } finally {
                terminating.set(false);
            }
        }

        String logs() {
            try {
                return out("podman", "logs", name);
            } catch (Exception e) {
                return "(no logs: " + e.getMessage() + ")";
            }
        }

        private void kubelet() {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            JsonNode startup = container.path("startupProbe");
            JsonNode liveness = container.path("livenessProbe");
            JsonNode readiness = container.path("readinessProbe");
            long startedAt = System.nanoTime();
            int startupFailures = 0;
            int livenessFailures = 0;
            int readinessFailures = 0;
            int readinessSuccesses = 0;
            long nextLiveness = 0;
            long nextReadiness = 0;
            while (!closed.get()) {
                sample();
                try {
                    if (terminating.get()) {
                        Thread.sleep(200);
                        continue;
                    }
                    if (!running()) {
                        if (closed.get()) {
                            return;
                        }
                        // restartPolicy Always: the kubelet starts the exited container again (without its back-off);
                        // not ready from before the restart is counted, so that whoever waits for it sees it not ready
                        ready.set(false);
                        started.set(false);
                        exitRestarts.incrementAndGet();
                        String exit = out("podman", "inspect", "--format", "{{.State.ExitCode}} {{.State.OOMKilled}}", name).strip();
                        if (exit.endsWith(" true")) {
                            // its cgroup, and the cgroup's oom_kill count, went with it
                            oomKills.incrementAndGet();
                        }
                        System.err.println("kubelet: " + service + " exited (exit code, OOM killed: " + exit + "); starting it again");
                        startupFailures = 0;
                        startAgain();
                        startedAt = System.nanoTime();
                        continue;
                    }
                    long now = System.nanoTime();
                    if (!started.get()) {
                        if (now - startedAt >= seconds(startup, "initialDelaySeconds", 0)) {
                            if (probe(http, "startup", startup)) {
                                started.set(true);
                                nextLiveness = now + seconds(liveness, "initialDelaySeconds", 0);
                                nextReadiness = now + seconds(readiness, "initialDelaySeconds", 0);
                            } else if (++startupFailures >= startup.path("failureThreshold").asInt(3)) {
                                restart("startup");
                                startupFailures = 0;
                                startedAt = System.nanoTime();
                            }
                        }
                        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(seconds(startup, "periodSeconds", 10)));
                        continue;
                    }
                    if (now >= nextLiveness) {
                        nextLiveness = now + seconds(liveness, "periodSeconds", 10);
                        if (probe(http, "liveness", liveness)) {
                            livenessFailures = 0;
                        } else if (++livenessFailures >= liveness.path("failureThreshold").asInt(3)) {
                            restart("liveness");
                            livenessFailures = 0;
                            startedAt = System.nanoTime();
                            continue;
                        }
                    }
                    if (now >= nextReadiness) {
                        nextReadiness = now + seconds(readiness, "periodSeconds", 10);
                        if (probe(http, "readiness", readiness)) {
                            readinessFailures = 0;
                            if (++readinessSuccesses >= readiness.path("successThreshold").asInt(1)) {
                                ready.set(true);
                            }
                        } else {
                            readinessSuccesses = 0;
                            if (++readinessFailures >= readiness.path("failureThreshold").asInt(3)) {
                                ready.set(false);
                            }
                        }
                    }
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (!closed.get()) {
                        System.err.println("kubelet of " + service + ": " + e);
                    }
                }
            }
        }

        /** The kubelet kills a container that failed its startup or liveness probe (grace period, then SIGKILL) and starts it again. */
        private void restart(String probe) throws IOException, InterruptedException {
            livenessRestarts.incrementAndGet();
            ready.set(false);
            started.set(false);
            System.err.println("kubelet: " + service + " failed its " + probe + " probe; restarting it");
            sh("podman", "stop", "-t", String.valueOf(gracePeriod), name);
            startAgain();
        }

        /** Starts the stopped container again, on the same volumes; its new PID and cgroup are located on the next look. */
        private void startAgain() throws IOException, InterruptedException {
            sh("podman", "start", name);
            pid = 0;
        }

        /** One probe, as the kubelet's: an HTTP GET within its timeoutSeconds, passed by a 2xx or 3xx. Counted in {@link #probes}. */
        private boolean probe(HttpClient http, String kind, JsonNode probe) {
            String path = probe.path("httpGet").path("path").asText();
            long begun = System.nanoTime();
            String failure;
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                        .timeout(Duration.ofSeconds(probe.path("timeoutSeconds").asInt(1))).build(), HttpResponse.BodyHandlers.discarding());
                failure = r.statusCode() >= 200 && r.statusCode() < 400 ? null : "HTTP " + r.statusCode();
            } catch (Exception e) {
                failure = e.toString();
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun);
            long[] counts = probes.computeIfAbsent(kind, k -> new long[3]);
            synchronized (counts) {
                counts[0]++;
                counts[1] += failure == null ? 0 : 1;
                counts[2] = Math.max(counts[2], ms);
            }
            // a startup probe fails until the service is up; any other failure is worth a line in the test's log
            if (failure != null && !kind.equals("startup")) {
                System.err.printf("kubelet: %s %s probe %s failed after %d ms: %s%n", service, kind, path, ms, failure);
            }
            return failure == null;
        }

        /** The probes' counts: {@code liveness 31 (0 failed, slowest 412 ms), readiness ...}. */
        String probeReport() {
            StringBuilder report = new StringBuilder(service).append(':');
            probes.forEach((kind, c) -> {
                synchronized (c) {
                    report.append(' ').append(kind).append(' ').append(c[0]).append(" (").append(c[1])
                            .append(" failed, slowest ").append(c[2]).append(" ms)");
                }
            });
            return report.toString();
        }

        /** The container's memory cgroup (v1): its peak usage, its peak working set (usage less inactive file pages) and OOM kills. */
        void sample() {
            try {
                String at = cgroup;
                if (at == null) {
                    return;
                }
                Path dir = Path.of(at);
                if (!Files.isDirectory(dir)) {
                    return;
                }
                peakMemory.accumulateAndGet(Long.parseLong(Files.readString(dir.resolve("memory.max_usage_in_bytes")).strip()), Math::max);
                long usage = Long.parseLong(Files.readString(dir.resolve("memory.usage_in_bytes")).strip());
                long inactiveFile = 0;
                for (String line : Files.readAllLines(dir.resolve("memory.stat"))) {
                    if (line.startsWith("total_inactive_file ")) {
                        inactiveFile = Long.parseLong(line.substring(line.indexOf(' ') + 1).strip());
                    }
                }
                peakWorkingSet.accumulateAndGet(usage - inactiveFile, Math::max);
                for (String line : Files.readAllLines(dir.resolve("memory.oom_control"))) {
                    if (line.startsWith("oom_kill ")) {
                        oomKills.accumulateAndGet(Integer.parseInt(line.substring(9).strip()), Math::max);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the container is stopping: its cgroup's files go with it; the next start is located afresh
            }
        }

        String memoryReport() {
            return "%-18s limit %5d MiB, peak usage %5d MiB (%3d %%), peak working set %5d MiB (%3d %%), OOM kills %d"
                    .formatted(service, memoryLimit >> 20, peakMemory.get() >> 20, 100 * peakMemory.get() / memoryLimit,
                            peakWorkingSet.get() >> 20, 100 * peakWorkingSet.get() / memoryLimit, oomKills.get());
        }

        @Override
        public void close() {
            closed.set(true);
            if (kubelet != null) {
                kubelet.interrupt();
            }
            try {
                Files.writeString(volumes.resolveSibling(volumes.getFileName() + ".log"), logs());
                sh("podman", "stop", "-t", "30", name);
                sh("podman", "rm", "-f", "-i", name);
            } catch (Exception e) {
                System.err.println("stopping " + name + ": " + e);
            }
        }
    }

    static long seconds(JsonNode probe, String field, int otherwise) {
        return TimeUnit.SECONDS.toNanos(probe.path(field).asInt(otherwise));
    }

    /** A Kubernetes memory quantity in bytes: 1536Mi, 2Gi, 512M, 1000000. */
    static long bytes(String quantity) {
        if (quantity.isBlank()) {
            throw new AssertionError("the container has no memory limit");
        }
        String[][] units = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"k", "1000"}, {"M", "1000000"}, {"G", "1000000000"}};
        for (String[] u : units) {
            if (quantity.endsWith(u[0])) {
                return Long.parseLong(quantity.substring(0, quantity.length() - u[0].length())) * Long.parseLong(u[1]);
            }
        }
        return Long.parseLong(quantity);
    }

    /** A CPU quantity in CPUs: 500m, 2. */
    static double cpus(String quantity) {
        return quantity.endsWith("m") ? Double.parseDouble(quantity.substring(0, quantity.length() - 1)) / 1000 : Double.parseDouble(quantity);
    }

    static void sh(String... cmd) throws IOException, InterruptedException {
        out(cmd);
    }

    static String out(String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("CONTAINERS_CONF", KubernetesSettingsIT.ROOT.resolve("deploy/containers/containers.conf").toString());
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + text);
        }
        return text;
    }
}
