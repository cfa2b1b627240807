package io.carbonstream.benchmarks.stack;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The benchmark's batch events and the plain Kafka clients every phase uses to send and read them. */
final class BenchKafka {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private BenchKafka() {
    }

    /** {@code jobs} jobs of one worker each, with contiguous one-second batches: no idle time, nothing to dedupe. */
    static List<ProducerRecord<String, byte[]>> batches(String run, int events, int jobs) {
        int perJob = events / jobs;
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(perJob * jobs);
        for (int i = 0; i < perJob * jobs; i++) {
            records.add(batch(run, i, jobs));
        }
        return records;
    }

    /** The i-th of a run's batch events: step i / jobs of job i % jobs, 8 A100s at 80 % for one second. */
    static ProducerRecord<String, byte[]> batch(String run, int i, int jobs) {
        int step = i / jobs;
        String job = "bench-" + run + "-" + (i % jobs);
        BatchEvent b = BatchEvent.builder().schemaVersion(BatchEvent.SCHEMA_VERSION).eventId(UUID.randomUUID())
                .jobId(job).tenant("bench").workerId("0").step((long) step).phase(Phase.PRETRAIN)
                .startedAt(T0.plusSeconds(step)).endedAt(T0.plusSeconds(step + 1)).samples(32L).tokens(32L * 2048)
                .flops(new BigDecimal("1.2e15")).acceleratorType("nvidia-a100-sxm4-40gb").acceleratorCount(8)
                .utilization(0.8).datacenter("on-prem-de").build();
        return new ProducerRecord<>(Topics.TRAINING_BATCHES, job, EventJson.encode(b));
    }

    static void createTopics(String bootstrap, List<String> topics, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList()).all().get();
        }
    }

    /** Reads every partition of {@code topic} from its beginning, resolved now, before anything is sent to it. */
    static void fromBeginning(KafkaConsumer<String, byte[]> consumer, String topic, int partitions) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        // resolved later, on a topic created a moment before, the first fetch could start past records already
        // written, and the read never completed
        tps.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
    }

    /** Reads {@code topic} from its end as of now. */
    static void fromEnd(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(tps);
        consumer.seekToEnd(tps);
        tps.forEach(consumer::position); // resolve the end now, before anything is produced
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer());
    }

    static KafkaConsumer<String, byte[]> consumer(String bootstrap, String isolation) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), new ByteArrayDeserializer());
    }
}
