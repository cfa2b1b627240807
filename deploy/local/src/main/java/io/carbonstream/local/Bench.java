package io.carbonstream.local;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;

/**
 * End-to-end throughput of a running stack, as a ratio to raw Kafka on the same machine and broker:
 * <ol>
 *   <li>raw Kafka: the benchmark's batch events produced to a fresh topic and consumed once, first send to last
 *       record read;</li>
 *   <li>carbonstream: the same number of batch events produced to {@code training.batches}, first send to the last
 *       job's footprint on {@code carbon.footprint} counting all its batches (telemetry-service and carbon-service,
 *       exactly once, in between).</li>
 * </ol>
 * Both run after a warm-up of 10,000 events ({@code --warmup}). Run it with
 * {@code deploy/local/carbonstream bench [EVENTS] [JOBS]}; it prints both rates and their ratio.
 */
public final class Bench {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = LocalInfra.options(args);
        String bootstrap = opts.getOrDefault("bootstrap", "127.0.0.1:19092");
        int events = Integer.parseInt(opts.getOrDefault("events", "20000"));
        int jobs = Integer.parseInt(opts.getOrDefault("jobs", "100"));
        int partitions = Integer.parseInt(opts.getOrDefault("partitions", "6"));
        if (events < jobs || jobs < 1) {
            throw new IllegalArgumentException("need at least one event per job (events " + events + ", jobs " + jobs + ")");
        }
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "10000"));
        if (warmup > 0) {
            // the services' JIT compilers need a few thousand events before they run at speed
            String warm = UUID.randomUUID().toString().substring(0, 8);
            List<ProducerRecord<String, byte[]>> first = batches(warm, warmup, jobs);
            rawKafka(bootstrap, "bench.raw." + warm, partitions, first);
            System.out.printf("warm-up        %d events through both (not counted)%n", warmup);
            pipeline(bootstrap, first, warm, warmup / jobs);
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<ProducerRecord<String, byte[]>> batches = batches(run, events, jobs);
        long bytes = batches.stream().mapToLong(r -> r.value().length).sum();
        System.out.printf("carbonstream bench %s: %d batch events (%d jobs, %d B average), broker %s%n",
                run, events, jobs, bytes / events, bootstrap);

        double raw = rawKafka(bootstrap, "bench.raw." + run, partitions, batches);
        System.out.printf("raw Kafka      %,10.0f events/s  (produce to a %d-partition topic, consume once)%n", raw, partitions);
        double hops = threeHops(bootstrap, "bench.hop." + run, partitions, batches);
        System.out.printf("three hops     %,10.0f events/s  (plain clients x3: consume, produce in a transaction, commit every %d ms)%n",
                hops, HOP_COMMIT_MS);
        double pipeline = pipeline(bootstrap, batches, run, events / jobs);
        System.out.printf("carbonstream   %,10.0f events/s  (training.batches -> telemetry -> carbon.footprint, exactly once)%n",
                pipeline);
        System.out.printf("ratio          %10.3f  (carbonstream / raw Kafka)%n", pipeline / raw);
        System.out.printf("ratio          %10.3f  (carbonstream / three hops of plain clients: the ceiling of this architecture)%n",
                pipeline / hops);
    }

    /** {@code jobs} jobs of one worker each, with contiguous one-second batches: no idle time, nothing to dedupe. */
    static List<ProducerRecord<String, byte[]>> batches(String run, int events, int jobs) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events);
        int perJob = events / jobs;
        for (int step = 0; step < perJob; step++) {
            for (int j = 0; j < jobs; j++) {
                String job = "bench-" + run + "-" + j;
                BatchEvent b = new BatchEvent(BatchEvent.SCHEMA_VERSION, UUID.randomUUID(), job, "bench", "0", (long) step,
                        Phase.PRETRAIN, T0.plusSeconds(step), T0.plusSeconds(step + 1), 32L, 32L * 2048,
                        new BigDecimal("1.2e15"), "nvidia-a100-sxm4-40gb", 8, 0.8, null, null, null, null, null, null,
                        null, null, null, "on-prem-de");
                records.add(new ProducerRecord<>(Topics.TRAINING_BATCHES, job, EventJson.encode(b)));
            }
        }
        return records;
    }

    static double rawKafka(String bootstrap, String topic, int partitions, List<ProducerRecord<String, byte[]>> batches)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap, "read_uncommitted");
             KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long start = System.nanoTime();
            List<Future<?>> sent = new ArrayList<>(batches.size());
            for (ProducerRecord<String, byte[]> r : batches) {
                sent.add(producer.send(new ProducerRecord<>(topic, r.key(), r.value())));
            }
            producer.flush();
            int read = 0;
            while (read < batches.size()) {
                read += consumer.poll(Duration.ofMillis(100)).count();
                if (System.nanoTime() - start > Duration.ofMinutes(10).toNanos()) {
                    throw new IllegalStateException("raw Kafka: " + read + " of " + batches.size() + " read in 10 minutes");
                }
            }
            for (Future<?> f : sent) {
                f.get();
            }
            return batches.size() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** How often a hop of {@link #threeHops} commits its transaction: Kafka Streams' default under exactly_once_v2. */
    static final int HOP_COMMIT_MS = 100;

    /**
     * The ceiling of this architecture on this broker: the same events through three hops of plain Kafka clients,
     * each consuming read_committed, producing to the next topic in a transaction with its consumed offsets, and
     * committing every {@link #HOP_COMMIT_MS} ms, with no work in between; first send to the last record read
     * (committed) from the third hop's output. carbonstream's pipeline has the same shape (trainer's topic,
     * telemetry-service, carbon-service) plus the work, the stores and their changelogs.
     */
    static double threeHops(String bootstrap, String prefix, int partitions, List<ProducerRecord<String, byte[]>> batches)
            throws Exception {
        List<String> topics = List.of(prefix + ".0", prefix + ".1", prefix + ".2", prefix + ".3");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList()).all().get();
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> relays = new ArrayList<>();
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(3);
        for (int hop = 0; hop < 3; hop++) {
            String in = topics.get(hop);
            String out = topics.get(hop + 1);
            String id = prefix + "-relay-" + hop;
            Thread t = new Thread(() -> {
                try {
                    relay(bootstrap, in, out, id, partitions, ready, stop);
                } catch (Exception e) {
                    failed.compareAndSet(null, e);
                    ready.countDown();
                }
            }, id);
            t.setDaemon(true);
            t.start();
            relays.add(t);
        }
        ready.await();
        try (KafkaConsumer<String, byte[]> last = consumer(bootstrap, "read_committed");
             KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topics.get(3), p));
            }
            last.assign(tps);
            last.seekToBeginning(tps);
            tps.forEach(last::position);
            long start = System.nanoTime();
            for (ProducerRecord<String, byte[]> r : batches) {
                producer.send(new ProducerRecord<>(topics.get(0), r.key(), r.value()));
            }
            producer.flush();
            int read = 0;
            while (read < batches.size()) {
                read += last.poll(Duration.ofMillis(50)).count();
                if (failed.get() != null) {
                    throw new IllegalStateException("a relay of the three-hop run failed", failed.get());
                }
                if (System.nanoTime() - start > Duration.ofMinutes(10).toNanos()) {
                    throw new IllegalStateException("three hops: " + read + " of " + batches.size() + " read in 10 minutes");
                }
            }
            return batches.size() / ((System.nanoTime() - start) / 1e9);
        } finally {
            stop.set(true);
            for (Thread t : relays) {
                t.join(30_000);
            }
        }
    }

    /** One hop: consume {@code in}, produce to {@code out} in transactions with the consumed offsets. */
    private static void relay(String bootstrap, String in, String out, String id, int partitions,
                              java.util.concurrent.CountDownLatch ready, java.util.concurrent.atomic.AtomicBoolean stop) {
        Map<String, Object> c = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, id, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        Map<String, Object> p = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, id, ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(in, i));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            tps.forEach(consumer::position);
            producer.initTransactions();
            ready.countDown();
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets = new HashMap<>();
            long opened = 0;
            while (!stop.get()) {
                var records = consumer.poll(Duration.ofMillis(10));
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (opened == 0) {
                        producer.beginTransaction();
                        opened = System.nanoTime();
                    }
                    producer.send(new ProducerRecord<>(out, r.key(), r.value()));
                    offsets.put(new TopicPartition(r.topic(), r.partition()),
                            new org.apache.kafka.clients.consumer.OffsetAndMetadata(r.offset() + 1));
                }
                if (opened != 0 && System.nanoTime() - opened >= HOP_COMMIT_MS * 1_000_000L) {
                    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                    producer.commitTransaction();
                    offsets.clear();
                    opened = 0;
                }
            }
        }
    }

    static double pipeline(String bootstrap, List<ProducerRecord<String, byte[]>> batches, String run, int perJob)
            throws Exception {
        String prefix = "bench-" + run + "-";
        try (KafkaConsumer<String, byte[]> footprints = consumer(bootstrap, "read_committed");
             KafkaConsumer<String, byte[]> energy = consumer(bootstrap, "read_committed");
             KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            fromEnd(footprints, Topics.CARBON_FOOTPRINT);
            fromEnd(energy, Topics.TELEMETRY_ENERGY);
            Map<String, Long> counted = new HashMap<>();
            int energyEvents = 0;
            long energyDone = 0;
            int jobsDone = 0;
            int jobs = batches.size() / perJob;
            long start = System.nanoTime();
            for (ProducerRecord<String, byte[]> r : batches) {
                producer.send(r);
            }
            producer.flush();
            long produced = System.nanoTime();
            while (jobsDone < jobs) {
                if (energyDone == 0) {
                    for (ConsumerRecord<String, byte[]> r : energy.poll(Duration.ofMillis(20))) {
                        if (r.key() != null && r.key().startsWith(prefix) && ++energyEvents == batches.size()) {
                            energyDone = System.nanoTime();
                        }
                    }
                }
                for (ConsumerRecord<String, byte[]> r : footprints.poll(Duration.ofMillis(100))) {
                    if (r.key() == null || !r.key().startsWith(prefix) || r.value() == null) {
                        continue;
                    }
                    long n = EventJson.decode(r.value(), FootprintEvent.class).batches();
                    Long before = counted.put(r.key(), n);
                    if (n == perJob && (before == null || before < perJob)) {
                        jobsDone++;
                    }
                }
                if (System.nanoTime() - start > Duration.ofMinutes(10).toNanos()) {
                    throw new IllegalStateException("carbonstream: " + jobsDone + " of " + jobs + " jobs complete in 10 minutes");
                }
            }
            long end = System.nanoTime();
            System.out.printf("               (produced in %.2f s; last energy event after %s; last footprint after %.2f s)%n",
                    (produced - start) / 1e9, energyDone == 0 ? "?" : String.format("%.2f s", (energyDone - start) / 1e9),
                    (end - start) / 1e9);
            return batches.size() / ((end - start) / 1e9);
        }
    }

    /** Reads {@code topic} from its end as of now. */
    private static void fromEnd(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(tps);
        consumer.seekToEnd(tps);
        tps.forEach(consumer::position); // resolve the end now, before anything is produced
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap, String isolation) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), new ByteArrayDeserializer());
    }
}
