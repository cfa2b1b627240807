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
