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

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) {
            // one line that says which phase failed and why, then the trace; never a JVM left waiting
            System.out.flush();
            System.err.println("bench failed: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static void run(String[] args) throws Exception {
        Map<String, String> opts = LocalInfra.options(args);
        String bootstrap = opts.getOrDefault("bootstrap", "127.0.0.1:19092");
        int events = Integer.parseInt(opts.getOrDefault("events", "20000"));
        int jobs = Integer.parseInt(opts.getOrDefault("jobs", "100"));
        int partitions = Integer.parseInt(opts.getOrDefault("partitions", "6"));
        String mode = opts.getOrDefault("mode", "all");
        if (events < jobs || jobs < 1) {
            throw new IllegalArgumentException("need at least one event per job (events " + events + ", jobs " + jobs + ")");
        }
        try (Rss rss = new Rss(opts.get("run-dir") == null ? null : java.nio.file.Path.of(opts.get("run-dir")))) {
            int warmup = Integer.parseInt(opts.getOrDefault("warmup", "10000"));
            if (warmup > 0) {
                // the services' JIT compilers need a few thousand events before they run at speed
                String warm = UUID.randomUUID().toString().substring(0, 8);
                if (mode.equals("all")) {
                    rawKafka(bootstrap, "bench.raw." + warm, partitions, batches(warm, warmup, jobs));
                }
                System.out.printf("warm-up        %d events (not counted)%n", warmup);
                pipeline(bootstrap, warm, warmup, jobs, 0);
            }
            switch (mode) {
                case "all" -> all(opts, bootstrap, events, jobs, partitions, rss);
                case "scale" -> scale(bootstrap, events, rss);
                case "soak" -> soak(bootstrap, events, jobs, rss, opts);
                default -> throw new IllegalArgumentException("--mode is all, scale or soak, not " + mode);
            }
        }
    }

    /** Every figure of one run: ceilings, end to end over Kafka, latency at half speed, HTTP ingestion, memory. */
    static void all(Map<String, String> opts, String bootstrap, int events, int jobs, int partitions, Rss rss) throws Exception {
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
        batches = null;
        rss.phase();
        double pipeline = pipeline(bootstrap, run, events, jobs, 0);
        System.out.printf("carbonstream   %,10.0f events/s  (training.batches -> telemetry -> carbon.footprint, exactly once)%n",
                pipeline);
        System.out.printf("ratio          %10.3f  (carbonstream / raw Kafka)%n", pipeline / raw);
        System.out.printf("ratio          %10.3f  (carbonstream / three hops of plain clients: the ceiling of this architecture)%n",
                pipeline / hops);
        System.out.println("RSS            " + rss.phase() + "  (largest sampled during the run)");

        double half = pipeline / 2;
        int latencyEvents = (int) Math.max(2000, Math.min(events, half * 20));
        String lat = UUID.randomUUID().toString().substring(0, 8);
        Percentiles p = latency(bootstrap, lat, latencyEvents, jobs, half);
        System.out.printf("latency        p50 %,.0f ms, p99 %,.0f ms, max %,.0f ms  (%d events at %,.0f events/s, half the rate above:"
                        + " batch sent to its footprint read committed)%n", p.at(0.5), p.at(0.99), p.max(), latencyEvents, half);
        System.out.println("RSS            " + rss.phase());

        if (opts.containsKey("trainer") && opts.containsKey("keys")) {
            Http http = new Http(opts.get("trainer"), java.nio.file.Path.of(opts.get("keys")));
            String hr = UUID.randomUUID().toString().substring(0, 8);
            int httpJobs = Math.min(jobs, 100);
            http.ingest(bootstrap, hr, events, httpJobs);
            System.out.println("RSS            " + rss.phase());
            Percentiles small = http.postsOfTen(hr, 300);
            System.out.printf("POST of 10     p50 %.1f ms, p90 %.1f ms, p99 %.1f ms  (300 requests one after another, each waits for its 202)%n",
                    small.at(0.5), small.at(0.9), small.at(0.99));
        } else {
            System.out.println("HTTP           skipped (no --trainer URL and --keys directory)");
        }
    }

    /** How cost grows with the number of concurrent jobs: the same events over 1, 100 and 10,000 jobs. */
    static void scale(String bootstrap, int events, Rss rss) throws Exception {
        System.out.printf("carbonstream bench, scale: %d batch events over 1, 100 and 10,000 concurrent jobs%n", events);
        for (int jobs : new int[] {1, 100, 10_000}) {
            if (events < jobs) {
                continue;
            }
            rss.phase();
            String run = UUID.randomUUID().toString().substring(0, 8);
            double rate = pipeline(bootstrap, run, events, jobs, 0);
            System.out.printf("%,7d jobs   %,10.0f events/s   RSS %s%n", jobs, rate, rss.phase());
        }
    }

    /** One long run (a million batches, say): throughput and memory at every tenth of it, which must stay flat. */
    static void soak(String bootstrap, int events, int jobs, Rss rss, Map<String, String> opts) throws Exception {
        System.out.printf("carbonstream bench, soak: %,d batch events over %d jobs, figures every %,d%n", events, jobs, events / 10);
        rss.phase();
        String run = UUID.randomUUID().toString().substring(0, 8);
        double rate = pipeline(bootstrap, run, events, jobs, events / 10, rss);
        System.out.printf("soak           %,10.0f events/s over the whole run%n", rate);
        if (opts.containsKey("carbon")) {
            System.out.println("retention      " + metric(opts.get("carbon"), "carbonstream_carbon_retention_deleted_total")
                    + " event ids forgotten by carbon-service (RETENTION_HORIZON of the stack)");
        }
    }

    static String metric(String base, String name) {
        try {
            var client = java.net.http.HttpClient.newHttpClient();
            String body = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/q/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            double sum = body.lines().filter(l -> l.startsWith(name)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            return String.format("%,.0f", sum);
        } catch (Exception e) {
            return "? (" + e.getMessage() + ")";
        }
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

    /** The i-th of a run's batch events: step i / jobs of job i % jobs. */
    static ProducerRecord<String, byte[]> batch(String run, int i, int jobs) {
        int step = i / jobs;
        String job = "bench-" + run + "-" + (i % jobs);
        BatchEvent b = new BatchEvent(BatchEvent.SCHEMA_VERSION, UUID.randomUUID(), job, "bench", "0", (long) step,
                Phase.PRETRAIN, T0.plusSeconds(step), T0.plusSeconds(step + 1), 32L, 32L * 2048,
                new BigDecimal("1.2e15"), "nvidia-a100-sxm4-40gb", 8, 0.8, null, null, null, null, null, null,
                null, null, null, "on-prem-de");
        return new ProducerRecord<>(Topics.TRAINING_BATCHES, job, EventJson.encode(b));
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
            // resolve the beginning now, before anything is sent: resolved later, on a topic created a moment
            // before, the first fetch could start past records already written, and the read never completed
            tps.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
            Sends sends = new Sends("raw Kafka");
            Watchdog watchdog = new Watchdog("raw Kafka");
            long start = System.nanoTime();
            for (ProducerRecord<String, byte[]> r : batches) {
                producer.send(new ProducerRecord<>(topic, r.key(), r.value()), sends);
            }
            producer.flush();
            sends.check();
            int read = 0;
            while (read < batches.size()) {
                read += consumer.poll(Duration.ofMillis(100)).count();
                watchdog.progress(read, read + " of " + batches.size() + " records read back from " + topic);
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
            Sends sends = new Sends("three hops");
            Watchdog watchdog = new Watchdog("three hops");
            long start = System.nanoTime();
            for (ProducerRecord<String, byte[]> r : batches) {
                producer.send(new ProducerRecord<>(topics.get(0), r.key(), r.value()), sends);
            }
            producer.flush();
            sends.check();
            int read = 0;
            while (read < batches.size()) {
                read += last.poll(Duration.ofMillis(50)).count();
                if (failed.get() != null) {
                    throw new IllegalStateException("three hops: a relay failed: " + failed.get(), failed.get());
                }
                watchdog.progress(read, read + " of " + batches.size() + " records through the third hop");
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

    static double pipeline(String bootstrap, String run, int events, int jobs, int reportEvery) throws Exception {
        return pipeline(bootstrap, run, events, jobs, reportEvery, null);
    }

    /**
     * {@code events} batch events of {@code jobs} jobs produced to {@code training.batches} as fast as the producer
     * goes (from another thread), timed from the first send to the footprint of each job's last batch, read
     * committed from {@code carbon.footprint}; with {@code reportEvery > 0}, a line every that many footprints.
     */
    static double pipeline(String bootstrap, String run, int events, int jobs, int reportEvery, Rss rss) throws Exception {
        String prefix = "bench-" + run + "-";
        int perJob = events / jobs;
        int total = perJob * jobs;
        try (KafkaConsumer<String, byte[]> footprints = consumer(bootstrap, "read_committed");
             KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            fromEnd(footprints, Topics.CARBON_FOOTPRINT);
            Progress progress = new Progress(prefix, perJob);
            Sends sends = new Sends("carbonstream");
            Watchdog watchdog = new Watchdog("carbonstream");
            long start = System.nanoTime();
            long[] produced = {0};
            Thread sender = new Thread(() -> {
                for (int i = 0; i < total; i++) {
                    producer.send(batch(run, i, jobs), sends);
                }
                producer.flush();
                produced[0] = System.nanoTime();
            }, "bench-producer");
            sender.setDaemon(true);
            sender.start();
            long lastReport = start;
            long lastSeen = 0;
            while (progress.complete < jobs) {
                for (ConsumerRecord<String, byte[]> r : footprints.poll(Duration.ofMillis(100))) {
                    progress.take(r);
                }
                long seen = progress.batches;
                if (reportEvery > 0 && seen - lastSeen >= reportEvery) {
                    long now = System.nanoTime();
                    System.out.printf("  %,10d batches counted  %,8.0f events/s  RSS %s%n", seen,
                            (seen - lastSeen) / ((now - lastReport) / 1e9), rss == null ? "" : rss.phase());
                    lastReport = now;
                    lastSeen = seen;
                }
                sends.check();
                watchdog.progress(seen, seen + " of " + total + " batches counted on " + Topics.CARBON_FOOTPRINT + ", "
                        + progress.complete + " of " + jobs + " jobs complete: are telemetry-service and carbon-service"
                        + " running ('deploy/local/carbonstream status')?");
            }
            long end = System.nanoTime();
            sender.join();
            System.out.printf("               (produced in %.2f s; last footprint after %.2f s)%n",
                    (produced[0] - start) / 1e9, (end - start) / 1e9);
            return total / ((end - start) / 1e9);
        }
    }

    /** What the footprints of one run's jobs (keys starting with {@code prefix}) have counted so far. */
    static final class Progress {
        final String prefix;
        final long perJob;
        /** Batches counted per job, by its latest footprint. */
        final Map<String, Long> counted = new HashMap<>();
        /** Batches counted over all the run's jobs. */
        long batches;
        /** Jobs whose footprint counts all their {@code perJob} batches. */
        int complete;

        Progress(String prefix, long perJob) {
            this.prefix = prefix;
            this.perJob = perJob;
        }

        /** Takes a record of carbon.footprint; returns what its job had counted before it, or -1 for another run's. */
        long take(ConsumerRecord<String, byte[]> r) {
            if (r.key() == null || !r.key().startsWith(prefix) || r.value() == null) {
                return -1;
            }
            long n = EventJson.decode(r.value(), FootprintEvent.class).batches();
            long before = counted.getOrDefault(r.key(), 0L);
            if (n > before) {
                counted.put(r.key(), n);
                batches += n - before;
                if (n == perJob && before < perJob) {
                    complete++;
                }
            }
            return before;
        }
    }

    /**
     * How long a phase may go without progress before the benchmark fails it (60 s; {@code -Dbench.stall-seconds}):
     * longer than a cold service's first commit or a rebalance, far shorter than a user waits for a stuck run.
     */
    static final Duration STALL = Duration.ofSeconds(Long.getLong("bench.stall-seconds", 60));

    /** Fails a phase fast, naming it and what it had done, when its count stops growing for {@link #STALL}. */
    static final class Watchdog {
        private final String phase;
        private final Duration limit;
        private long count = -1;
        private long since = System.nanoTime();

        Watchdog(String phase) {
            this(phase, STALL);
        }

        Watchdog(String phase, Duration limit) {
            this.phase = phase;
            this.limit = limit;
        }

        /** Takes the phase's progress so far; throws when it has not grown for {@link #STALL}. */
        void progress(long now, String detail) {
            long t = System.nanoTime();
            if (now > count) {
                count = now;
                since = t;
            } else if (t - since > limit.toNanos()) {
                throw new IllegalStateException(phase + ": no progress for " + limit.toSeconds() + " s: " + detail);
            }
        }
    }

    /** The first failed send of a phase, checked while it waits, so that a failure is reported at once. */
    static final class Sends implements org.apache.kafka.clients.producer.Callback {
        private final String phase;
        private final java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();

        Sends(String phase) {
            this.phase = phase;
        }

        @Override
        public void onCompletion(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception e) {
            if (e != null) {
                failed.compareAndSet(null, e);
            }
        }

        void check() {
            Exception e = failed.get();
            if (e != null) {
                throw new IllegalStateException(phase + ": a record could not be sent: " + e, e);
            }
        }
    }

    /** Sorted samples in milliseconds. */
    record Percentiles(double[] sortedMillis) {
        static Percentiles of(List<Double> millis) {
            return new Percentiles(millis.stream().mapToDouble(Double::doubleValue).sorted().toArray());
        }

        double at(double q) {
            return sortedMillis[(int) Math.min(sortedMillis.length - 1, Math.ceil(q * sortedMillis.length) - 1)];
        }

        double max() {
            return sortedMillis[sortedMillis.length - 1];
        }
    }

    /**
     * End-to-end latency at a steady {@code rate}: each batch is sent at its time on the schedule, and its latency
     * is from its send to the read (committed) of the footprint that first counts it. A job's batches are sent in
     * order on one partition, so its n-th footprint is its n-th batch's.
     */
    static Percentiles latency(String bootstrap, String run, int events, int jobs, double rate) throws Exception {
        String prefix = "bench-" + run + "-";
        int perJob = events / jobs;
        int total = perJob * jobs;
        long[] sentAt = new long[total];
        List<ProducerRecord<String, byte[]>> records = batches(run, total, jobs);
        try (KafkaConsumer<String, byte[]> footprints = consumer(bootstrap, "read_committed");
             KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            fromEnd(footprints, Topics.CARBON_FOOTPRINT);
            Sends sends = new Sends("latency");
            Watchdog watchdog = new Watchdog("latency");
            long start = System.nanoTime() + 50_000_000L;
            Thread sender = new Thread(() -> {
                for (int i = 0; i < total; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(Math.min(wait, 1_000_000L));
                    }
                    sentAt[i] = System.nanoTime();
                    producer.send(records.get(i), sends);
                }
                producer.flush();
            }, "bench-paced-producer");
            sender.setDaemon(true);
            sender.start();
            List<Double> millis = new ArrayList<>(total);
            Progress progress = new Progress(prefix, perJob);
            while (millis.size() < total) {
                var polled = footprints.poll(Duration.ofMillis(5));
                long now = System.nanoTime();
                for (ConsumerRecord<String, byte[]> r : polled) {
                    long before = progress.take(r);
                    if (before < 0) {
                        continue;
                    }
                    int job = Integer.parseInt(r.key().substring(prefix.length()));
                    for (long step = before; step < progress.counted.get(r.key()); step++) {
                        millis.add((now - sentAt[(int) (step * jobs + job)]) / 1e6);
                    }
                }
                sends.check();
                // the paced sender makes progress too: a batch not yet due is not a stall
                int due = (int) Math.min(total, Math.max(0, (System.nanoTime() - start) * rate / 1e9));
                watchdog.progress(millis.size() + (long) due,
                        millis.size() + " of " + total + " batches counted at " + Math.round(rate) + " events/s");
            }
            sender.join();
            return Percentiles.of(millis);
        }
    }

    /** Resident memory of the stack's processes (their pid files in the launcher's run directory), sampled. */
    static final class Rss implements AutoCloseable {
        private final Map<String, Long> pids = new java.util.TreeMap<>();
        private final Map<String, Long> maxKb = new java.util.concurrent.ConcurrentHashMap<>();
        private final Thread sampler;
        private volatile boolean stop;

        Rss(java.nio.file.Path runDir) throws java.io.IOException {
            if (runDir != null && java.nio.file.Files.isDirectory(runDir)) {
                try (var files = java.nio.file.Files.list(runDir)) {
                    for (var f : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                        String name = f.getFileName().toString().replace(".pid", "");
                        if (name.endsWith("-broker")) {
                            name = name.startsWith("kafka") ? "broker" : name.replace("-broker", "");
                        } else if (name.equals("kafka") || name.equals("postgres")) {
                            continue; // the launchers of the infrastructure, not the servers
                        }
                        try {
                            pids.put(name, Long.parseLong(java.nio.file.Files.readString(f).trim()));
                        } catch (NumberFormatException e) {
                            // an empty pid file: that process is not running
                        }
                    }
                }
            }
            sampler = new Thread(() -> {
                while (!stop) {
                    pids.forEach((name, pid) -> {
                        long kb = kb(pid);
                        maxKb.merge(name, kb, Math::max);
                    });
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-rss");
            sampler.setDaemon(true);
            sampler.start();
        }

        static long kb(long pid) {
            try {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                // gone, or not Linux
            }
            return 0;
        }

        /** The largest RSS of each process since the last call, in MiB; then starts again. */
        String phase() {
            StringBuilder out = new StringBuilder();
            pids.keySet().forEach(name -> {
                Long kb = maxKb.remove(name);
                if (kb != null && kb > 0) {
                    out.append(out.isEmpty() ? "" : ", ").append(name).append(' ').append(kb / 1024).append(" MiB");
                }
            });
            return out.isEmpty() ? "(no processes found: give --run-dir)" : out.toString();
        }

        @Override
        public void close() {
            stop = true;
        }
    }

    /** Through trainer-service's HTTP ingestion, as external trainers arrive, with a token of tenant bench. */
    static final class Http {
        private final String base;
        private final String auth;
        private final java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

        Http(String base, java.nio.file.Path keys) {
            this.base = base;
            this.auth = "Bearer " + Tokens.issue(Tokens.keys(keys).getPrivate(), "bench", java.util.Set.of("trainer", "viewer"),
                    Duration.ofHours(2));
        }

        java.net.http.HttpResponse<String> post(String path, String json) throws Exception {
            // a request that gets no answer fails the phase instead of holding it for ever
            return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path)).timeout(STALL)
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        }

        void register(String job) throws Exception {
            var r = post("/jobs", "{\"id\":\"" + job + "\",\"name\":\"bench\",\"acceleratorType\":\"nvidia-a100-sxm4-40gb\","
                    + "\"acceleratorsPerWorker\":8,\"datacenter\":\"on-prem-de\",\"startedAt\":\"" + T0 + "\"}");
            if (r.statusCode() != 201) {
                throw new IllegalStateException("POST /jobs answered " + r.statusCode() + ": " + r.body());
            }
        }

        static String reports(int fromStep, int count) {
            StringBuilder b = new StringBuilder(count * 120).append('[');
            for (int s = fromStep; s < fromStep + count; s++) {
                b.append(s == fromStep ? "" : ",").append("{\"step\":").append(s).append(",\"startedAt\":\"")
                        .append(T0.plusSeconds(s)).append("\",\"endedAt\":\"").append(T0.plusSeconds(s + 1))
                        .append("\",\"samples\":32,\"tokens\":65536,\"utilization\":0.8}");
            }
            return b.append(']').toString();
        }

        /** {@code events} reports over {@code jobs} jobs in arrays of 1000, four requests at a time. */
        void ingest(String bootstrap, String run, int events, int jobs) throws Exception {
            int perJob = events / jobs;
            for (int j = 0; j < jobs; j++) {
                register("bench-" + run + "-" + j);
            }
            List<String[]> requests = new ArrayList<>();
            for (int from = 0; from < perJob; from += 1000) {
                for (int j = 0; j < jobs; j++) {
                    requests.add(new String[] {"/jobs/bench-" + run + "-" + j + "/batches", reports(from, Math.min(1000, perJob - from))});
                }
            }
            String prefix = "bench-" + run + "-";
            try (KafkaConsumer<String, byte[]> footprints = consumer(bootstrap, "read_committed")) {
                fromEnd(footprints, Topics.CARBON_FOOTPRINT);
                // daemon threads: a failed request must not keep the benchmark's JVM alive
                var pool = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
                    Thread t = new Thread(r, "bench-http");
                    t.setDaemon(true);
                    return t;
                });
                long start = System.nanoTime();
                List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
                for (String[] r : requests) {
                    answers.add(pool.submit(() -> {
                        var answer = post(r[0], r[1]);
                        if (answer.statusCode() != 202) {
                            throw new IllegalStateException("a batch report was answered " + answer.statusCode() + ": " + answer.body());
                        }
                        return answer.statusCode();
                    }));
                }
                Watchdog answered = new Watchdog("HTTP ingest");
                int done = 0;
                for (var a : answers) {
                    while (true) {
                        try {
                            a.get(1, java.util.concurrent.TimeUnit.SECONDS);
                            break;
                        } catch (java.util.concurrent.TimeoutException e) {
                            answered.progress(done, done + " of " + answers.size() + " POSTs answered by " + base);
                        } catch (java.util.concurrent.ExecutionException e) {
                            throw new IllegalStateException("HTTP ingest: " + e.getCause().getMessage(), e.getCause());
                        }
                    }
                    answered.progress(++done, done + " of " + answers.size() + " POSTs answered");
                }
                long accepted = System.nanoTime();
                pool.shutdown();
                Progress progress = new Progress(prefix, perJob);
                Watchdog watchdog = new Watchdog("HTTP end to end");
                while (progress.complete < jobs) {
                    for (ConsumerRecord<String, byte[]> r : footprints.poll(Duration.ofMillis(100))) {
                        progress.take(r);
                    }
                    watchdog.progress(progress.batches, progress.batches + " of " + perJob * jobs + " reported batches counted, "
                            + progress.complete + " of " + jobs + " jobs complete");
                }
                long end = System.nanoTime();
                System.out.printf("HTTP ingest    %,10.0f reports/s accepted  (%d POSTs of up to 1000 reports, 4 at a time, each answered 202)%n",
                        perJob * jobs / ((accepted - start) / 1e9), requests.size());
                System.out.printf("HTTP end to end %,9.0f events/s  (first POST to the last job's footprint)%n",
                        perJob * jobs / ((end - start) / 1e9));
            }
        }

        /** {@code n} POSTs of 10 reports, one after another, as a synchronous trainer sends them. */
        Percentiles postsOfTen(String run, int n) throws Exception {
            String job = "bench-" + run + "-small";
            register(job);
            List<Double> millis = new ArrayList<>(n);
            for (int i = 0; i < n + 20; i++) {
                String body = reports(i * 10, 10);
                long t = System.nanoTime();
                var answer = post("/jobs/" + job + "/batches", body);
                if (answer.statusCode() != 202) {
                    throw new IllegalStateException("a POST of 10 reports was answered " + answer.statusCode() + ": " + answer.body());
                }
                if (i >= 20) { // the first ones open connections
                    millis.add((System.nanoTime() - t) / 1e6);
                }
            }
            return Percentiles.of(millis);
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
