package io.carbonstream.benchmarks.stack;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/** carbonstream's pipeline end to end over Kafka: batch events in on training.batches, footprints read from carbon.footprint. */
final class PipelineRun {

    private PipelineRun() {
    }

    /**
     * {@code events} batch events of {@code jobs} jobs produced to {@code training.batches} as fast as the producer
     * goes (from another thread), timed from the first send to the footprint of each job's last batch, read
     * committed from {@code carbon.footprint}; with {@code reportEvery > 0}, a line every that many footprints. The
     * CPU per event is that of the processes {@code cpu} selects of {@code processes} (null: none) over that window.
     */
    static KafkaCeilings.Measured throughput(String bootstrap, String run, int events, int jobs, int reportEvery,
                                             ProcessSampler processes) throws Exception {
        String prefix = "bench-" + run + "-";
        int perJob = events / jobs;
        int total = perJob * jobs;
        try (KafkaConsumer<String, byte[]> footprints = BenchKafka.consumer(bootstrap, "read_committed");
             KafkaProducer<String, byte[]> producer = BenchKafka.producer(bootstrap)) {
            BenchKafka.fromEnd(footprints, Topics.CARBON_FOOTPRINT);
            Progress progress = new Progress(prefix, perJob);
            Sends sends = new Sends("carbonstream");
            Watchdog watchdog = new Watchdog("carbonstream");
            ProcessSampler.Cpu cpu = processes == null ? null : processes.cpu(Bench::stackProcess);
            long start = System.nanoTime();
            long[] produced = {0};
            Thread sender = new Thread(() -> {
                for (int i = 0; i < total; i++) {
                    producer.send(BenchKafka.batch(run, i, jobs), sends);
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
                            (seen - lastSeen) / ((now - lastReport) / 1e9), processes == null ? "" : processes.phase());
                    lastReport = now;
                    lastSeen = seen;
                }
                sends.check();
                watchdog.progress(seen, seen + " of " + total + " batches counted on " + Topics.CARBON_FOOTPRINT + ", "
                        + progress.complete + " of " + jobs + " jobs complete: are telemetry-service and carbon-service"
                        + " running ('deploy/local/carbonstream status')?");
            }
            long end = System.nanoTime();
            Map<String, Double> perEvent = cpu == null ? Map.of() : cpu.perEvent(total);
            sender.join();
            System.out.printf("               (produced in %.2f s; last footprint after %.2f s)%n",
                    (produced[0] - start) / 1e9, (end - start) / 1e9);
            return new KafkaCeilings.Measured(total / ((end - start) / 1e9), perEvent);
        }
    }

    /**
     * End-to-end latency at a steady {@code rate}: each batch is sent at its time on the schedule, and its latency
     * is from its send to the read (committed) of the footprint that first counts it. A job's batches are sent in
     * order on one partition, so its n-th footprint is its n-th batch's.
     */
    static Percentiles latency(String bootstrap, String run, int events, int jobs, double rate) throws Exception {
        return Percentiles.of(latencies(bootstrap, run, events, jobs, rate).stream().map(Latency::millis).toList());
    }

    /** One batch of a paced run: when it was due after the run's start, and how long until its footprint counted it. */
    record Latency(double dueSeconds, double millis) {
    }

    /**
     * The latency of each of {@code events} batches sent at {@code rate} events/s, in the order they were counted;
     * see {@link #latency}.
     */
    static List<Latency> latencies(String bootstrap, String run, int events, int jobs, double rate) throws Exception {
        String prefix = "bench-" + run + "-";
        int perJob = events / jobs;
        int total = perJob * jobs;
        long[] sentAt = new long[total];
        List<ProducerRecord<String, byte[]>> records = BenchKafka.batches(run, total, jobs);
        try (KafkaConsumer<String, byte[]> footprints = BenchKafka.consumer(bootstrap, "read_committed");
             KafkaProducer<String, byte[]> producer = BenchKafka.producer(bootstrap)) {
            BenchKafka.fromEnd(footprints, Topics.CARBON_FOOTPRINT);
            Sends sends = new Sends("latency");
            Watchdog watchdog = new Watchdog("latency");
            long start = System.nanoTime() + 50_000_000L;
            Thread sender = new Thread(() -> {
                for (int i = 0; i < total; i++) {
                    PipelineRun.awaitTurn(start, i, rate);
                    sentAt[i] = System.nanoTime();
                    producer.send(records.get(i), sends);
                }
                producer.flush();
            }, "bench-paced-producer");
            sender.setDaemon(true);
            sender.start();
            List<Latency> millis = new ArrayList<>(total);
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
                        int i = (int) (step * jobs + job);
                        millis.add(new Latency(i / rate, (now - sentAt[i]) / 1e6));
                    }
                }
                sends.check();
                // the paced sender makes progress too: a batch not yet due is not a stall
                int due = (int) Math.min(total, Math.max(0, (System.nanoTime() - start) * rate / 1e9));
                watchdog.progress(millis.size() + (long) due,
                        millis.size() + " of " + total + " batches counted at " + Math.round(rate) + " events/s");
            }
            sender.join();
            return millis;
        }
    }

    /** Waits until the {@code i}-th event of a schedule of {@code rate} events/s from {@code start} is due. */
    static void awaitTurn(long start, int i, double rate) {
        long due = start + (long) (i * 1e9 / rate);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(wait, 1_000_000L));
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
}
