package io.carbonstream.benchmarks.stack;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the broker does with no carbonstream in between, on the same machine and broker as the pipeline: raw Kafka
 * (produce, consume once) and the ceiling of this architecture (three hops of plain transactional clients).
 */
final class KafkaCeilings {

    /** A phase's rate and the CPU each process it watched spent per event (µs). */
    record Measured(double eventsPerSecond, Map<String, Double> cpuPerEvent) {
    }

    private KafkaCeilings() {
    }

    /** The events produced to a fresh topic and consumed once (read_uncommitted), first send to last record read. */
    static double rawKafka(String bootstrap, String topic, int partitions, List<ProducerRecord<String, byte[]>> batches)
            throws Exception {
        BenchKafka.createTopics(bootstrap, List.of(topic), partitions);
        try (KafkaConsumer<String, byte[]> consumer = BenchKafka.consumer(bootstrap, "read_uncommitted");
             KafkaProducer<String, byte[]> producer = BenchKafka.producer(bootstrap)) {
            BenchKafka.fromBeginning(consumer, topic, partitions);
            Sends sends = new Sends("raw Kafka");
            Watchdog watchdog = new Watchdog("raw Kafka");
            long start = System.nanoTime();
            sendAll(producer, topic, batches, sends);
            int read = 0;
            while (read < batches.size()) {
                read += consumer.poll(Duration.ofMillis(100)).count();
                watchdog.progress(read, read + " of " + batches.size() + " records read back from " + topic);
            }
            return batches.size() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * What trainer-service's HTTP ingestion is held to: a plain producer sending the same batch events to a fresh
     * topic with {@code acks=all}, first send to the last acknowledgement.
     */
    static double produceOnly(String bootstrap, String topic, int partitions, List<ProducerRecord<String, byte[]>> batches)
            throws Exception {
        BenchKafka.createTopics(bootstrap, List.of(topic), partitions);
        try (KafkaProducer<String, byte[]> producer = BenchKafka.producer(bootstrap)) {
            Sends sends = new Sends("plain producer");
            // one record to each partition first, acknowledged, so that the timed sends find every leader known:
            // sent at once to a topic created a moment before, batches were retried and the broker refused the
            // idempotent producer's retries with OUT_OF_ORDER_SEQUENCE_NUMBER until they expired (3 runs of 6 on
            // 2 cores); raw Kafka's consumer resolves its positions first and never met it
            for (int p = 0; p < partitions; p++) {
                producer.send(new ProducerRecord<>(topic, p, "leader", new byte[0])).get(Watchdog.STALL.toSeconds(), TimeUnit.SECONDS);
            }
            long start = System.nanoTime();
            sendAll(producer, topic, batches, sends);
            return batches.size() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * The ceiling of this architecture on this broker: the same events through three hops of plain Kafka clients
     * ({@link Relay}, one JVM each, started with the services' JVM settings), each consuming read_committed,
     * producing to the next topic in a transaction with its consumed offsets, and committing every
     * {@link Relay#COMMIT_MS} ms, with no work in between; first send to the last record read (committed) from the
     * third hop's output. carbonstream's pipeline has the same shape (trainer's topic, telemetry-service,
     * carbon-service) plus the work, the stores and their changelogs. The {@code warmup} events go through first,
     * untimed; the CPU per event is that of the broker and each relay over the timed window.
     */
    static Measured threeHops(String bootstrap, String prefix, int partitions, List<ProducerRecord<String, byte[]>> warmup,
                              List<ProducerRecord<String, byte[]>> batches, ProcessSampler processes) throws Exception {
        List<String> topics = List.of(prefix + ".0", prefix + ".1", prefix + ".2", prefix + ".3");
        BenchKafka.createTopics(bootstrap, topics, partitions);
        List<Process> relays = new ArrayList<>();
        try {
            for (int hop = 0; hop < 3; hop++) {
                relays.add(startRelay(bootstrap, topics.get(hop), topics.get(hop + 1), prefix + "-relay-" + hop, partitions));
            }
            for (int hop = 0; hop < 3; hop++) {
                awaitReady(relays.get(hop), hop);
                processes.watch("relay-" + hop, relays.get(hop).pid());
            }
            try (KafkaConsumer<String, byte[]> last = BenchKafka.consumer(bootstrap, "read_committed");
                 KafkaProducer<String, byte[]> producer = BenchKafka.producer(bootstrap)) {
                BenchKafka.fromBeginning(last, topics.get(3), partitions);
                Sends sends = new Sends("three hops");
                // the relays' JIT compilers warm up on events of their own, as the services' do on the bench's
                // warm-up: a cold JVM against warm services would flatter carbonstream
                sendAll(producer, topics.get(0), warmup, sends);
                throughThirdHop(last, relays, warmup.size(), new Watchdog("three hops, warm-up"));
                ProcessSampler.Cpu cpu = processes.cpu(name -> name.equals("broker") || name.startsWith("relay-"));
                long start = System.nanoTime();
                sendAll(producer, topics.get(0), batches, sends);
                throughThirdHop(last, relays, batches.size(), new Watchdog("three hops"));
                double rate = batches.size() / ((System.nanoTime() - start) / 1e9);
                return new Measured(rate, cpu.perEvent(batches.size()));
            }
        } finally {
            for (int hop = 0; hop < relays.size(); hop++) {
                Process relay = relays.get(hop);
                relay.getOutputStream().close(); // its stdin: the relay stops and commits nothing more
                if (!relay.waitFor(30, TimeUnit.SECONDS)) {
                    relay.destroyForcibly();
                }
                processes.forget("relay-" + hop);
            }
        }
    }

    /** Reads {@code count} records (committed) from the third hop's output, failing when a relay exits or stalls. */
    private static void throughThirdHop(KafkaConsumer<String, byte[]> last, List<Process> relays, int count,
                                        Watchdog watchdog) {
        int read = 0;
        while (read < count) {
            read += last.poll(Duration.ofMillis(50)).count();
            for (int hop = 0; hop < 3; hop++) {
                if (!relays.get(hop).isAlive()) {
                    throw new IllegalStateException("three hops: relay " + hop + " exited with " + relays.get(hop).exitValue());
                }
            }
            watchdog.progress(read, read + " of " + count + " records through the third hop");
        }
    }

    /** Sends the batches' keys and values to {@code topic} and waits until every send is acknowledged or has failed. */
    private static void sendAll(KafkaProducer<String, byte[]> producer, String topic, List<ProducerRecord<String, byte[]>> batches,
                                Sends sends) {
        for (ProducerRecord<String, byte[]> r : batches) {
            producer.send(new ProducerRecord<>(topic, r.key(), r.value()), sends);
        }
        producer.flush();
        sends.check();
    }

    private static Process startRelay(String bootstrap, String in, String out, String id, int partitions) throws IOException {
        // the java the services run on (--relay-java), else this benchmark's own
        String java = System.getProperty("bench.relay-java", ProcessHandle.current().info().command().orElse("java"));
        // the JVM settings deploy/local/carbonstream starts each service with
        return new ProcessBuilder(java, "-Xmx192m", "-XX:+UseSerialGC", "-XX:ReservedCodeCacheSize=64m", "-Xss512k",
                "-Dslf4j.internal.verbosity=ERROR", "-cp", System.getProperty("java.class.path"), Relay.class.getName(),
                bootstrap, in, out, id, Integer.toString(partitions))
                .redirectErrorStream(true).start();
    }

    /** Waits for the relay's READY line; its output after that is drained so that it never blocks on a full pipe. */
    private static void awaitReady(Process relay, int hop) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.equals("READY")) {
                        return null;
                    }
                    seen.append(line).append('\n');
                }
            } catch (IOException e) {
                seen.append(e);
            }
            return seen.toString();
        });
        String failure = ready.get(Watchdog.STALL.toSeconds(), TimeUnit.SECONDS);
        if (failure != null) {
            throw new IllegalStateException("three hops: relay " + hop + " did not start: " + failure.strip());
        }
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (IOException e) {
                // gone
            }
        }, "relay-" + hop + "-output");
        drain.setDaemon(true);
        drain.start();
    }
}
