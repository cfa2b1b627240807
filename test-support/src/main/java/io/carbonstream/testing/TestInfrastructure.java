package io.carbonstream.testing;

import io.carbonstream.events.Topics;
import io.carbonstream.local.Infrastructure;
import io.carbonstream.local.Ports;

import java.nio.file.Path;

/**
 * One Kafka broker and one PostgreSQL server per test JVM, on free ports, with fresh data under
 * {@code target/test-infra}; stopped when the JVM exits.
 */
public final class TestInfrastructure {

    /** Partitions of every contract topic in tests: more than one, so keying by job really matters. */
    public static final int PARTITIONS = 3;

    /** Kafka Streams state directory of the services under test. */
    public static final Path STREAMS_STATE_DIR = Path.of("target", "kafka-streams-state").toAbsolutePath();

    private static Infrastructure shared;

    private TestInfrastructure() {
    }

    public static synchronized Infrastructure shared() {
        if (shared == null) {
            Path dir = Path.of("target", "test-infra").toAbsolutePath();
            // Kafka Streams state of an earlier run belongs to an earlier broker: start clean.
            Infrastructure.deleteRecursively(STREAMS_STATE_DIR);
            shared = Infrastructure.start(dir, dir.resolve("logs"), Ports.free(), Ports.free(), Ports.free(),
                    true, Topics.ALL, PARTITIONS, "512m");
            Infrastructure started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-infrastructure-stop"));
        }
        return shared;
    }
}
