package io.carbonstream.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The infrastructure processes as the launcher runs them: {@code up} starts {@link LocalInfra} without
 * {@code --fresh}, {@code down} stops it with SIGTERM, {@code up --fresh} starts it with {@code --fresh}. A data
 * directory a previous {@code up} left must not stop a fresh start (initdb refused it: "postgres failed to start"),
 * and when a server cannot start, its process says why in one {@code FAILED} line.
 */
class LocalInfraRestartTest {

    private static final Path HOME = Path.of("target", "restart-test").toAbsolutePath();

    @Test
    void downThenUpFreshStartsPostgresEveryTimeAndWipesItsData() throws Exception {
        Path data = HOME.resolve("cycles");
        Infrastructure.deleteRecursively(data);
        int port = Ports.free();
        // up, as a user first runs it: data kept between runs
        Process up = startInfra("postgres", data, port, false);
        sql(port, "CREATE TABLE kept (id int)");
        stop(up);
        for (int cycle = 1; cycle <= 3; cycle++) {
            Process fresh = startInfra("postgres", data, port, true); // down, then up --fresh
            assertFalse(tableExists(port, "kept"), "cycle " + cycle + ": --fresh wiped the data of the run before");
            sql(port, "CREATE TABLE kept (id int)");
            stop(fresh);
            Process again = startInfra("postgres", data, port, false); // a plain up keeps it
            assertTrue(tableExists(port, "kept"), "cycle " + cycle + ": up without --fresh kept the data");
            stop(again);
        }
    }

    @ParameterizedTest
    @CsvSource({"postgres, PostgreSQL", "kafka, Kafka"})
    void aServerOnATakenPortSaysWhichPort(String only, String server) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String failed = failedLine(only, HOME.resolve(only + "-taken"), taken.getLocalPort());
            assertTrue(failed.contains(server + " cannot start: port " + taken.getLocalPort() + " on 127.0.0.1 is taken"), failed);
        }
    }

    @Test
    void postgresOnADataDirectoryAnotherServerHoldsNamesItsPid() throws Exception {
        Path data = HOME.resolve("held");
        Infrastructure.deleteRecursively(data);
        Process first = startInfra("postgres", data, Ports.free(), false);
        try {
            String failed = failedLine("postgres", data, Ports.free());
            String pid = Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(0).trim();
            assertTrue(failed.contains("held by a running PostgreSQL (pid " + pid + ","), failed);
        } finally {
            stop(first);
        }
    }

    @Test
    void initdbsOwnWordsAreTheReasonWhenItFails() throws Exception {
        Path data = HOME.resolve("not-empty");
        Infrastructure.deleteRecursively(data);
        // a data directory that is not one and not empty: initdb refuses it, as it refused the one a previous run
        // left before --fresh wiped it first
        Files.createDirectories(data.resolve("postgres"));
        Files.writeString(data.resolve("postgres/stray.txt"), "not PostgreSQL's");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PostgresServer.start(data.resolve("postgres"), Ports.free(), false, data.resolve("postgres.log")).close());
        assertTrue(e.getMessage().startsWith("PostgreSQL failed to start on " + data.resolve("postgres")), e.getMessage());
        assertTrue(e.getMessage().contains("exists but is not empty"), "initdb's own words: " + e.getMessage());
    }

    @Test
    void kafkaOnALogDirectoryAnotherBrokerHoldsSaysTheLockIsHeld() throws Exception {
        Path data = HOME.resolve("kafka-held");
        Infrastructure.deleteRecursively(data);
        try (KafkaBroker first = new KafkaBroker(data.resolve("kafka"), Ports.free(), Ports.free(),
                data.resolve("logs/kafka.log"), "256m").start(Duration.ofSeconds(90))) {
            KafkaBroker second = new KafkaBroker(data.resolve("kafka"), Ports.free(), Ports.free(),
                    data.resolve("logs/kafka-second.log"), "256m");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> second.start(Duration.ofSeconds(90)));
            second.close();
            assertTrue(e.getMessage().contains("Failed to acquire lock on file .lock"), "the broker's own words: " + e.getMessage());
            assertTrue(first.isAlive(), "the broker that holds the directory runs on");
        }
    }

    /** Starts LocalInfra as the launcher does and waits for its READY line. */
    private static Process startInfra(String only, Path data, int port, boolean fresh) throws Exception {
        Process p = infra(only, data, port, fresh);
        List<String> lines = new ArrayList<>();
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
            lines.add(line);
            if (line.startsWith("READY")) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException e) {
                        // the process was stopped: nothing more to read
                    }
                }, "infra-out");
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        p.destroyForcibly();
        throw new AssertionError(only + " did not print READY: " + String.join("\n", lines));
    }

    /** Runs LocalInfra where it cannot start and returns its FAILED line, after checking that it exits 1. */
    private static String failedLine(String only, Path data, int port) throws Exception {
        Process p = infra(only, data, port, false);
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(90, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), output);
        return output.lines().filter(l -> l.startsWith("FAILED " + only + ": ")).findFirst()
                .orElseThrow(() -> new AssertionError("no FAILED line: " + output));
    }

    private static Process infra(String only, Path data, int port, boolean fresh) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), LocalInfra.class.getName(), "--only", only,
                "--data-dir", data.toString(), "--log-dir", data.resolve("logs").toString()));
        if (only.equals("postgres")) {
            cmd.addAll(List.of("--postgres-port", String.valueOf(port)));
        } else {
            cmd.addAll(List.of("--kafka-port", String.valueOf(port), "--kafka-controller-port", String.valueOf(Ports.free()),
                    "--kafka-heap", "256m"));
        }
        if (fresh) {
            cmd.add("--fresh");
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** SIGTERM, as {@code down} sends it, and the wait for a clean stop. */
    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stopped within a minute");
    }

    private static void sql(int port, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/carbon", PostgresServer.USER, "")) {
            c.createStatement().execute(statement);
        }
    }

    private static boolean tableExists(int port, String table) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/carbon", PostgresServer.USER, "");
             ResultSet rs = c.createStatement().executeQuery("SELECT to_regclass('public." + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
