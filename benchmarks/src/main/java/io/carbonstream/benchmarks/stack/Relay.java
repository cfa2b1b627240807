package io.carbonstream.benchmarks.stack;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One hop of the three-hop ceiling, in a JVM of its own as each carbonstream service is, so that its CPU time can
 * be read from {@code /proc/<pid>/stat} like theirs: consume {@code in} read_committed, produce each record to
 * {@code out} in a transaction with the consumed offsets, commit every {@link #COMMIT_MS} ms, no work in between.
 * Prints {@code READY} once its transactions are initialised; runs until its standard input closes.
 * <p>
 * {@code java -cp ... Relay BOOTSTRAP IN OUT TRANSACTIONAL_ID PARTITIONS}
 */
public final class Relay {

    /** How often a hop commits its transaction: Kafka Streams' default commit interval under exactly_once_v2. */
    static final int COMMIT_MS = 100;

    private Relay() {
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: Relay BOOTSTRAP IN OUT TRANSACTIONAL_ID PARTITIONS");
            System.exit(2);
        }
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread stdin = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent keeps the pipe open while it wants this hop
                }
            } catch (java.io.IOException e) {
                // closed
            }
            stop.set(true);
        }, "relay-stdin");
        stdin.setDaemon(true);
        stdin.start();
        try {
            run(args[0], args[1], args[2], args[3], Integer.parseInt(args[4]), stop);
        } catch (Exception e) {
            System.out.println("FAILED " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    static void run(String bootstrap, String in, String out, String id, int partitions,
                    java.util.concurrent.atomic.AtomicBoolean stop) {
        Map<String, Object> c = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, id, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        Map<String, Object> p = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, id, ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            java.util.List<TopicPartition> tps = new java.util.ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(in, i));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            tps.forEach(consumer::position);
            producer.initTransactions();
            System.out.println("READY");
            System.out.flush();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            long opened = 0;
            while (!stop.get()) {
                var records = consumer.poll(Duration.ofMillis(10));
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (opened == 0) {
                        producer.beginTransaction();
                        opened = System.nanoTime();
                    }
                    producer.send(new ProducerRecord<>(out, r.key(), r.value()));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                if (opened != 0 && System.nanoTime() - opened >= COMMIT_MS * 1_000_000L) {
                    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                    producer.commitTransaction();
                    offsets.clear();
                    opened = 0;
                }
            }
        }
    }
}
