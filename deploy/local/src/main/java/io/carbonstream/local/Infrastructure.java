package io.carbonstream.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Kafka and PostgreSQL together, as the services need them: the contract's topics created and one database
 * per service.
 */
public final class Infrastructure implements AutoCloseable {

    /** One database per service that keeps state in PostgreSQL. */
    public static final List<String> DATABASES = List.of("trainer", "telemetry", "carbon");

    private final KafkaBroker kafka;
    private final PostgresServer postgres;

    private Infrastructure(KafkaBroker kafka, PostgresServer postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    /**
     * Starts both servers under {@code dataDir}, creates {@code topics} with {@code partitions} partitions each,
     * and the service databases.
     */
    public static Infrastructure start(Path dataDir, Path logDir, int kafkaPort, int kafkaControllerPort, int postgresPort,
                                       boolean fresh, Collection<String> topics, int partitions, String kafkaHeap) {
        KafkaBroker kafka = startKafka(dataDir, logDir, kafkaPort, kafkaControllerPort, fresh, topics, partitions, kafkaHeap);
        try {
            return new Infrastructure(kafka, startPostgres(dataDir, logDir, postgresPort, fresh));
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** Starts a broker on {@code dataDir/kafka} (wiped first when {@code fresh}) and creates {@code topics}. */
    public static KafkaBroker startKafka(Path dataDir, Path logDir, int port, int controllerPort, boolean fresh,
                                         Collection<String> topics, int partitions, String heap) {
        if (fresh) {
            deleteRecursively(dataDir.resolve("kafka"));
        }
        KafkaBroker kafka = new KafkaBroker(dataDir.resolve("kafka"), port, controllerPort, logDir.resolve("kafka.log"), heap);
        try {
            kafka.start(Duration.ofSeconds(90));
            kafka.createTopics(topics, partitions);
            return kafka;
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /**
     * Starts PostgreSQL on {@code dataDir/postgres} (wiped first when {@code fresh}) with one database per service
     * ({@link #DATABASES}); PostgreSQL's own output goes to {@code logDir/postgres.log}.
     */
    public static PostgresServer startPostgres(Path dataDir, Path logDir, int port, boolean fresh) {
        PostgresServer postgres = PostgresServer.start(dataDir.resolve("postgres"), port, fresh, logDir.resolve("postgres.log"));
        try {
            DATABASES.forEach(postgres::createDatabase);
            return postgres;
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    @Override
    public void close() {
        try {
            kafka.close();
        } finally {
            postgres.close();
        }
    }

    public static void deleteRecursively(Path dir) {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
