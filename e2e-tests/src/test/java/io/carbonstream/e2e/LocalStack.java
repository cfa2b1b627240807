package io.carbonstream.e2e;

import io.carbonstream.local.Ports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The local stack, started through the same launcher a user runs ({@code deploy/local/carbonstream}). */
final class LocalStack implements AutoCloseable {

    final Path root = Path.of(System.getProperty("carbonstream.root", "..")).toAbsolutePath().normalize();
    final Path home = root.resolve("e2e-tests/target/stack");
    final int kafkaPort = Ports.free();
    final int trainerPort = Ports.free();
    final int telemetryPort = Ports.free();
    final int carbonPort = Ports.free();
    private final Map<String, String> env = Map.of(
            "CARBONSTREAM_HOME", home.toString(),
            "KAFKA_PORT", String.valueOf(kafkaPort),
            "KAFKA_CONTROLLER_PORT", String.valueOf(Ports.free()),
            "POSTGRES_PORT", String.valueOf(Ports.free()),
            "TRAINER_PORT", String.valueOf(trainerPort),
            "TELEMETRY_PORT", String.valueOf(telemetryPort),
            "CARBON_PORT", String.valueOf(carbonPort),
            "KAFKA_PARTITIONS", "3");

    LocalStack up() {
        run(List.of("up", "--fresh", "--no-build"));
        return this;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    String trainer() {
        return "http://127.0.0.1:" + trainerPort;
    }

    String telemetry() {
        return "http://127.0.0.1:" + telemetryPort;
    }

    String carbon() {
        return "http://127.0.0.1:" + carbonPort;
    }

    String status() {
        return run(List.of("status"));
    }

    /** SIGKILLs one service, as a crash would. */
    void kill(String service) {
        run(List.of("kill", service));
    }

    /** Starts one service again and waits until it is ready. */
    void start(String service) {
        run(List.of("start", service));
    }

    @Override
    public void close() {
        run(List.of("down"));
    }

    private String run(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("deploy/local/carbonstream").toString()));
        cmd.addAll(args);
        try {
            Files.createDirectories(home);
            Path out = home.resolve("launcher-" + args.get(0) + ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("launcher " + args + " timed out; see " + out);
            }
            String text = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("launcher " + args + " failed:\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
