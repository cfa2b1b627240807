package io.carbonstream.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads a topic from the beginning with a plain Kafka consumer (no group, read_committed), for tests that
 * check what really reached the broker.
 */
public final class TopicProbe implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;

    public TopicProbe(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Collects the records whose key is {@code key} (null: every key) until one matches {@code last} or the
     * timeout passes; returns what it collected, the matching record last.
     */
    public List<ConsumerRecord<String, String>> readUntil(String key, Predicate<ConsumerRecord<String, String>> last,
                                                          Duration timeout) {
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                if (key == null || key.equals(r.key())) {
                    seen.add(r);
                    if (last.test(r)) {
                        return seen;
                    }
                }
            }
        }
        throw new AssertionError("no matching record within " + timeout + "; saw " + seen.size() + " records with key "
                + key + (seen.isEmpty() ? "" : ", the last: " + seen.get(seen.size() - 1).value()));
    }

    /** Sends records (key, value pairs in order) and waits for the broker's acknowledgement of each. */
    public static void produce(String bootstrapServers, String topic, String... keysAndValues) {
        produce(bootstrapServers, topic, Map.of(), keysAndValues);
    }

    /**
     * Sends records (key, value pairs in order; a null value is a tombstone), each with {@code headers} (name to
     * UTF-8 value), and waits for the broker's acknowledgement of each.
     */
    public static void produce(String bootstrapServers, String topic, Map<String, String> headers, String... keysAndValues) {
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(Map.<String, Object>of(
                org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all"),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
                var record = new org.apache.kafka.clients.producer.ProducerRecord<>(topic, keysAndValues[i], keysAndValues[i + 1]);
                headers.forEach((name, value) -> record.headers().add(name, value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                producer.send(record).get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to " + topic, e);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
