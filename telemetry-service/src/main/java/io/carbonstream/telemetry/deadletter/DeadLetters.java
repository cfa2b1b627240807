package io.carbonstream.telemetry.deadletter;

import io.carbonstream.events.DeadLetter;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The batches telemetry-service could not price, on {@code training.batches.dlq}: listed, and sent again to
 * {@code training.batches} once their cause is fixed (a profile added, given figures or calibrated). Sending a
 * batch again is safe however often it happens: telemetry-service files each worker interval once, and
 * carbon-service counts each (job, event id) once.
 */
@ApplicationScoped
public class DeadLetters {

    /** The dead-letter topic this service writes. */
    public static final String TOPIC = Topics.deadLetterOf(Topics.TRAINING_BATCHES);
    /** Longest a scan of the topic may take. */
    static final Duration SCAN_LIMIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    MeterRegistry registry;

    /** Which dead letters a request is about; null fields match everything. */
    public record Filter(String jobId, String field, String reasonContains, Instant since) {

        boolean matches(DeadLetter letter) {
            return (jobId == null || jobId.equals(letter.key()))
                    && (field == null || field.equals(letter.field()))
                    && (reasonContains == null || (letter.reason() != null && letter.reason().contains(reasonContains)))
                    && (since == null || (letter.rejectedAt() != null && !letter.rejectedAt().isBefore(since)));
        }
    }

    /** One dead letter and where it lies on the dead-letter topic. */
    public record Entry(int partition, long offset, DeadLetter letter) {
    }

    /** What a redrive did. */
    public record Redrive(long scanned, long matched, long redriven, long skipped) {
    }

    /** The dead letters that match, oldest first per partition, at most {@code limit}. */
    public List<Entry> list(Filter filter, int limit) {
        List<Entry> entries = new ArrayList<>();
        scan(filter, entry -> {
            if (entries.size() < limit) {
                entries.add(entry);
            }
        });
        return entries;
    }

    /**
     * Sends the original record of every matching dead letter again to the topic it came from, with its key, and
     * waits for the broker's acknowledgement of each. Letters without a payload or a topic are skipped.
     */
    public Redrive redrive(Filter filter) {
        long[] counts = new long[3]; // matched, redriven, skipped
        List<Future<?>> sent = new ArrayList<>();
        long scanned;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
            scanned = scan(filter, entry -> {
                counts[0]++;
                DeadLetter letter = entry.letter();
                if (letter.payload() == null || letter.topic() == null || !Topics.TRAINING_BATCHES.equals(letter.topic())) {
                    counts[2]++;
                    return;
                }
                sent.add(producer.send(new ProducerRecord<>(letter.topic(), letter.key(),
                        letter.payload().getBytes(StandardCharsets.UTF_8))));
                counts[1]++;
            });
            for (Future<?> f : sent) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker refused a redriven batch: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        registry.counter("carbonstream.telemetry.dead.letters.redriven").increment(counts[1]);
        return new Redrive(scanned, counts[0], counts[1], counts[2]);
    }

    /** Reads the topic from its beginning to its end as of now (committed records only); returns how many it read. */
    private long scan(Filter filter, Consumer<Entry> matching) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long deadline = System.nanoTime() + SCAN_LIMIT.toNanos();
            long read = 0;
            while (!done(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + TOPIC + " took over " + SCAN_LIMIT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L)) {
                        continue;
                    }
                    read++;
                    DeadLetter letter;
                    try {
                        letter = EventJson.decode(r.value(), DeadLetter.class);
                    } catch (RuntimeException e) {
                        continue; // not a dead letter this service wrote
                    }
                    if (filter.matches(letter)) {
                        matching.accept(new Entry(r.partition(), r.offset(), letter));
                    }
                }
            }
            return read;
        }
    }

    private static boolean done(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
