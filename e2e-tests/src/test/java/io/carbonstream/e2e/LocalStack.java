package io.carbonstream.e2e;

import io.carbonstream.local.Ports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local stack, started through the same launcher a user runs ({@code deploy/local/carbonstream}). One stack
 * serves every end-to-end test class ({@link #shared()}); it is stopped when the test JVM exits.
 */
final class LocalStack implements AutoCloseable {

    /** A grid-intensity provider that is down: every request gets 503. */
    static final class DownProvider {
        static final int PORT;

        static {
            try {
                var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/", exchange -> {
                    exchange.sendResponseHeaders(503, -1);
                    exchange.close();
                });
                server.start();
                PORT = server.getAddress().getPort();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static LocalStack shared;

    /** The stack every test class shares, started on first use. */
    static synchronized LocalStack shared() {
        if (shared == null) {
            LocalStack stack = new LocalStack().up();
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-stack-down"));
            shared = stack;
        }
        return shared;
    }

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
            "KAFKA_PARTITIONS", "3",
            // a second instance that warms up a copy of the shared stack's state takes its share of the work within
            // a minute, not Kafka Streams' ten (MultiInstanceIT)
            "PROBING_REBALANCE_MS", "60000",
            // UK NESO configured against a stub that answers 503: the provider gauges report it down (ObservabilityIT)
            "CARBONSTREAM_JAVA_OPTS", "-Dcarbonstream.grid.uk-neso.enabled=true -Dcarbonstream.grid.uk-neso.url=http://127.0.0.1:"
                    + DownProvider.PORT);

    LocalStack up() {
        run(List.of("up", "--fresh", "--no-build"));
        // every RestAssured request of the end-to-end tests runs as an admin unless it sets its own token
        io.restassured.RestAssured.authentication = io.restassured.RestAssured.oauth2(admin());
        return this;
    }

    /** A token signed with the key pair the launcher generated for this stack, valid for two hours. */
    String token(String tenant, String... roles) {
        return io.carbonstream.local.Tokens.issue(io.carbonstream.local.Tokens.keys(home.resolve("keys")).getPrivate(),
                tenant, java.util.Set.of(roles), java.time.Duration.ofHours(2));
    }

    /** A well-formed token signed by a key this stack does not know. */
    String foreignToken(String tenant, String... roles) {
        return io.carbonstream.local.Tokens.issue(io.carbonstream.local.Tokens.keys(home.resolveSibling("foreign-keys"))
                .getPrivate(), tenant, java.util.Set.of(roles), java.time.Duration.ofHours(2));
    }

    String admin() {
        return token("ops", "admin");
    }

    /** A token as a user gets one: {@code deploy/local/carbonstream token ARGS}. */
    String launcherToken(String... args) {
        List<String> command = new ArrayList<>(List.of("token"));
        command.addAll(List.of(args));
        String out = run(command).trim();
        return out.substring(out.lastIndexOf('\n') + 1);
    }

    /** {@code up} on a running stack: starts whatever is not running (a killed broker, say), leaves the rest. */
    String repair() {
        return run(List.of("up", "--no-build"));
    }

    /** The environment the launcher runs with for this stack: its home, ports and settings. */
    Map<String, String> environment() {
        return env;
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

    /** SIGKILLs one service, or the Kafka broker ({@code kafka}), as a crash would. */
    void kill(String service) {
        run(List.of("kill", service));
    }

    /** Starts one service instance ({@code carbon-2} too) or {@code kafka} and waits until it is ready; what it said. */
    String start(String service) {
        return run(List.of("start", service));
    }

    /** Stops one service instance gracefully. */
    void stop(String service) {
        run(List.of("stop", service));
    }

    /** The base URL of instance {@code n} (1, 2, ...) of a service: its port + 10 x (n - 1), as the launcher has it. */
    String instance(String service, int n) {
        int port = switch (service) {
            case "trainer" -> trainerPort;
            case "telemetry" -> telemetryPort;
            default -> carbonPort;
        };
        return "http://127.0.0.1:" + (port + 10 * (n - 1));
    }

    /** The resident set size of a service's process in KiB, from /proc, or -1 when it is not running. */
    long rssKiB(String service) {
        try {
            String pid = Files.readString(home.resolve("run/" + service + ".pid")).trim();
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
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
            Path out = home.resolve("launcher-" + String.join("-", args) + ".out");
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
