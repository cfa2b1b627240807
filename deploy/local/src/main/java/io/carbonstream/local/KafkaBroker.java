package io.carbonstream.local;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka broker in KRaft mode (broker and controller in one node), run in a child JVM from the
 * Kafka jars on Maven Central. Its data survives a restart when started again on the same directory, so it can
 * be stopped, killed and restarted like a production broker.
 */
public final class KafkaBroker implements AutoCloseable {

    /** A fixed cluster id, so that an existing data directory is reused as it is. */
    private static final String CLUSTER_ID = "Y2FyYm9uc3RyZWFtLWxv";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Path logFile;
    private final String heap;
    private final Map<String, Object> overrides = new java.util.LinkedHashMap<>();
    private Process process;
    /** How long the log was when this start began: what the broker wrote since is its reason when it fails. */
    private long logStart;

    public KafkaBroker(Path dataDir, int port, int controllerPort, Path logFile, String heap) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        this.logFile = logFile.toAbsolutePath();
        this.heap = heap;
    }

    /**
     * Broker settings over the defaults, set before {@link #start}: another listener (TLS with client certificates,
     * say) or an authorizer. The PLAINTEXT listener on {@link #port()} stays, for {@link #admin()}.
     */
    public KafkaBroker with(Map<String, ?> settings) {
        overrides.putAll(settings);
        return this;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Formats the storage if new, starts the broker and waits until it serves clients. */
    public synchronized KafkaBroker start(Duration timeout) {
        if (process != null && process.isAlive()) {
            return this;
        }
        Ports.requireFree("Kafka", port, "KAFKA_PORT");
        Ports.requireFree("Kafka", controllerPort, "KAFKA_CONTROLLER_PORT");
        requireUnlocked();
        logStart = LogTail.mark(logFile);
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(logFile.getParent());
            Path config = dataDir.resolve("server.properties");
            Files.writeString(config, serverProperties(), StandardCharsets.UTF_8);
            Path log4j = dataDir.resolve("log4j2.properties");
            try (InputStream in = KafkaBroker.class.getResourceAsStream("kafka-log4j2.properties")) {
                Files.write(log4j, in.readAllBytes());
            }
            run(List.of("kafka.tools.StorageTool", "format", "-t", CLUSTER_ID, "-c", config.toString(),
                    "--ignore-formatted"), log4j, Duration.ofSeconds(60));
            process = jvm(List.of("kafka.Kafka", config.toString()), log4j)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Kafka in " + dataDir, e);
        }
        awaitReady(timeout);
        return this;
    }

    /**
     * A running broker holds {@code .lock} in its log directory. A second broker started on the same directory finds
     * that out only after it has opened the metadata log, which can corrupt the first broker's copy and stop it; so
     * the lock is tested here, before anything of the second one starts or writes.
     */
    private void requireUnlocked() {
        Path lock = dataDir.resolve("logs").resolve(".lock");
        if (!Files.exists(lock)) {
            return;
        }
        String held = "Kafka cannot start on " + dataDir + ": Failed to acquire lock on file .lock in "
                + lock.getParent() + ": another broker runs on it (stop it first, or give this one another directory)";
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lock,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock taken = channel.tryLock();
            if (taken == null) {
                throw new IllegalStateException(held);
            }
            taken.release();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw new IllegalStateException(held);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lock of " + lock, e);
        }
    }

    private String serverProperties() {
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", 1);
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        // One node: every internal topic has a single replica.
        p.put("offsets.topic.replication.factor", 1);
        p.put("offsets.topic.num.partitions", 4);
        p.put("transaction.state.log.replication.factor", 1);
        p.put("transaction.state.log.min.isr", 1);
        p.put("transaction.state.log.num.partitions", 4);
        p.put("share.coordinator.state.topic.replication.factor", 1);
        p.put("share.coordinator.state.topic.min.isr", 1);
        p.put("group.initial.rebalance.delay.ms", 0);
        // A transaction whose producer died (an instance killed for good) is aborted only once it times out, and
        // until then read_committed consumers of its partitions, and the restore of a standby taking over, wait
        // at its first record. The broker looks for timed-out transactions every 10 s by default; once a second,
        // a dead instance's transaction ends within a second of its timeout (docs/reliability.md).
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", 1000);
        // Topics are created on purpose (see createTopics), never by a typo in a consumer.
        p.put("auto.create.topics.enable", false);
        p.put("num.partitions", 1);
        p.putAll(overrides);
        StringBuilder text = new StringBuilder("# written by carbonstream's KafkaBroker\n");
        p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    private ProcessBuilder jvm(List<String> mainAndArgs, Path log4j) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Djava.io.tmpdir=" + dataDir);
        cmd.add("-Dlog4j2.configurationFile=" + log4j);
        cmd.add("-Dkafka.logs.dir=" + logFile.getParent());
        cmd.add("-cp");
        cmd.add(brokerClasspath());
        cmd.addAll(mainAndArgs);
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    private void run(List<String> mainAndArgs, Path log4j, Duration timeout) throws IOException {
        Process p = jvm(mainAndArgs, log4j).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("Kafka storage format timed out; see " + logFile);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("Kafka storage format failed (exit " + p.exitValue() + "): " + reason()
                        + " [full output in " + logFile + "]");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The classpath of the broker, written at build time by maven-dependency-plugin. */
    static String brokerClasspath() throws IOException {
        try (InputStream in = KafkaBroker.class.getResourceAsStream("kafka-broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException("kafka-broker.classpath is missing: build deploy/local with Maven first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited with " + process.exitValue() + " while starting: " + reason()
                        + " [full output in " + logFile + "]");
            }
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
                sleep(200);
            }
        }
        throw new IllegalStateException("Kafka not ready after " + timeout + "; see " + logFile, last);
    }

    /**
     * What the broker wrote since this start began that says why it stopped: its ERROR and FATAL lines (a held
     * lock on the log directory, a port taken after all, a broken storage), else its last lines.
     */
    private String reason() {
        List<String> errors = LogTail.since(logFile, logStart, 8, l -> l.contains("ERROR") || l.contains("FATAL")
                || l.contains("Exception:"));
        return LogTail.describe(errors.isEmpty() ? LogTail.since(logFile, logStart, 8, l -> true) : errors);
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(p);
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public void createTopics(Collection<String> topics, int partitions) {
        try (Admin admin = admin()) {
            List<NewTopic> wanted = topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList();
            for (var entry : admin.createTopics(wanted).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("topic creation timed out", e);
        }
    }

    /** Waits until the broker process ends, however it ends. */
    public void awaitExit() {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p == null) {
            return;
        }
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Stops the broker cleanly (SIGTERM) and waits for it. */
    @Override
    public synchronized void close() {
        stop(false);
    }

    /** Kills the broker at once (SIGKILL), as a crash would. */
    public synchronized void kill() {
        stop(true);
    }

    private void stop(boolean forcibly) {
        if (process == null) {
            return;
        }
        if (forcibly) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
