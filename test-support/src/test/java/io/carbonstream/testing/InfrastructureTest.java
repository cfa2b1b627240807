package io.carbonstream.testing;

import io.carbonstream.events.Topics;
import io.carbonstream.local.Infrastructure;
import io.carbonstream.local.PostgresServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfrastructureTest {

    @Test
    void brokerHasEveryContractTopicAndCarriesRecordsAcrossARestart() throws Exception {
        Infrastructure infra = TestInfrastructure.shared();
        try (var admin = infra.kafka().admin()) {
            var topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            assertTrue(topics.containsAll(Topics.ALL), "topics: " + topics);
            var description = admin.describeTopics(List.of(Topics.TRAINING_BATCHES)).allTopicNames().get(10, TimeUnit.SECONDS);
            assertEquals(TestInfrastructure.PARTITIONS, description.get(Topics.TRAINING_BATCHES).partitions().size());
        }
        send(infra, "before-restart");
        infra.kafka().kill();
        infra.kafka().start(Duration.ofSeconds(60));
        send(infra, "after-restart");

        Map<String, Object> cfg = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "infrastructure-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(cfg, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.GRID_INTENSITY));
            long deadline = System.currentTimeMillis() + 20_000;
            while (values.size() < 2 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        assertEquals(List.of("before-restart", "after-restart"), values);
    }

    @Test
    void brokerAcceptsRecordsInEveryCompressionAKafkaClientOffers() throws Exception {
        Infrastructure infra = TestInfrastructure.shared();
        for (String codec : List.of("gzip", "snappy", "lz4", "zstd")) {
            String topic = "infrastructure.compressed." + codec;
            try (var admin = infra.kafka().admin()) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> cfg = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
            try (var producer = new KafkaProducer<>(cfg, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "k", ("a " + codec + " record ").repeat(50))).get(30, TimeUnit.SECONDS);
            }
            List<String> values = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "infrastructure-test-" + codec,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                long deadline = System.currentTimeMillis() + 20_000;
                while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
                }
            }
            assertEquals(List.of(("a " + codec + " record ").repeat(50)), values, codec);
        }
    }

    /**
     * A stream instance killed for good leaves its transaction open, and read_committed readers of its partitions
     * (the survivor's restore, the next service) wait at its first record until the broker aborts it for its
     * timeout. The local broker looks for timed-out transactions every second (10 s by default), so a producer with a
     * 2 s timeout that never commits holds a later record back for about 2-3 s; with the default, up to 12 s.
     */
    @Test
    void aTransactionWhoseProducerVanishedIsAbortedWithinASecondOfItsTimeout() throws Exception {
        Infrastructure infra = TestInfrastructure.shared();
        String topic = "infrastructure.abandoned." + java.util.UUID.randomUUID().toString().substring(0, 8);
        try (var admin = infra.kafka().admin()) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            var broker = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.BROKER, "1");
            assertEquals("1000", admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker)
                    .get("transaction.abort.timed.out.transaction.cleanup.interval.ms").value());
        }
        var abandoned = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "infrastructure-abandoned-" + topic,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 2000), new StringSerializer(), new StringSerializer());
        try (var later = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
             var reader = new KafkaConsumer<>(Map.<String, Object>of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers(),
                     ConsumerConfig.GROUP_ID_CONFIG, "infrastructure-abandoned",
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            abandoned.initTransactions();
            abandoned.beginTransaction();
            abandoned.send(new ProducerRecord<>(topic, "k", "never committed")).get(30, TimeUnit.SECONDS);
            long opened = System.nanoTime();
            // the producer is never used again, as if its process had died: no commit, no abort, no close
            later.send(new ProducerRecord<>(topic, "k", "after it")).get(30, TimeUnit.SECONDS);
            reader.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            while (values.isEmpty() && System.nanoTime() - opened < 30_000_000_000L) {
                reader.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
            }
            double seconds = (System.nanoTime() - opened) / 1e9;
            assertEquals(List.of("after it"), values, "the aborted record is never read");
            assertTrue(seconds >= 1.5, "read after " + seconds + " s: the open transaction did not hold it back");
            assertTrue(seconds < 7, "read after " + seconds + " s: a 2 s transaction timeout checked every second ends within 3 s");
        } finally {
            abandoned.close(Duration.ZERO);
        }
    }

    @Test
    void postgresHasOneDatabasePerService() throws Exception {
        Infrastructure infra = TestInfrastructure.shared();
        for (String db : Infrastructure.DATABASES) {
            try (var c = DriverManager.getConnection(infra.postgres().jdbcUrl(db), PostgresServer.USER, "");
                 ResultSet rs = c.createStatement().executeQuery("SELECT current_database()")) {
                assertTrue(rs.next());
                assertEquals(db, rs.getString(1));
            }
        }
    }

    private static void send(Infrastructure infra, String value) throws Exception {
        Map<String, Object> cfg = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(cfg, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.GRID_INTENSITY, "zone", value)).get(30, TimeUnit.SECONDS);
        }
    }
}
