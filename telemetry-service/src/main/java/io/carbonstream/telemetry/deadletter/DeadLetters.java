package io.carbonstream.telemetry.deadletter;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.BatchValidation;
import io.carbonstream.events.DeadLetter;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.Topics;
import io.carbonstream.support.Problem;
import io.carbonstream.support.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The batches telemetry-service could not price, on {@code training.batches.dlq}: listed, and sent again to
 * {@code training.batches} once their cause is fixed (a profile added, given figures or calibrated).
 * <p>
 * A redriven batch carries the header {@value #REDRIVE_OF} ("partition/offset" of its dead letter), which a new
 * dead letter keeps if it is rejected again. Once the broker has acknowledged the batches, the redrive appends
 * one marker per letter to the dead-letter topic: a record without a value whose header {@value #REDRIVEN} names
 * the letter. Marked letters are closed: listings leave them out by default and redrives never send them again,
 * so repeated redrives add one letter per batch still rejected, never more. Sending a batch again is safe in any
 * case: telemetry-service files each worker interval once, and carbon-service counts each (job, event id) once.
 */
@ApplicationScoped
public class DeadLetters {

    /** The dead-letter topic this service writes. */
    public static final String TOPIC = Topics.deadLetterOf(Topics.TRAINING_BATCHES);
    /** Header of a redriven batch (and of its dead letter, if rejected again): the letter it was sent from. */
    public static final String REDRIVE_OF = "carbonstream-redrive-of";
    /** Header of a marker: the letter that was redriven. */
    public static final String REDRIVEN = "carbonstream-redriven";
    /** Longest a scan of the topic may take. */
    static final Duration SCAN_LIMIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** Security settings of the service's Kafka Streams client, for the clients here too ({@link #securityOf}). */
    private Map<String, Object> security;

    @PostConstruct
    void readSecurity() {
        var config = ConfigProvider.getConfig();
        security = securityOf(config.getPropertyNames(), name -> config.getOptionalValue(name, String.class).orElse(null));
    }

    @Inject
    MeterRegistry registry;

    /**
     * Which dead letters a request is about; null fields match everything. {@code tenant}: only letters whose payload
     * is a JSON object naming that tenant (what a caller who is not admin sees).
     */
    public record Filter(String jobId, String field, String reasonContains, Instant since, String tenant) {

        public Filter(String jobId, String field, String reasonContains, Instant since) {
            this(jobId, field, reasonContains, since, null);
        }

        boolean matches(DeadLetter letter) {
            return (tenant == null || tenant.equals(tenantOf(letter)))
                    && (jobId == null || jobId.equals(letter.key()))
                    && (field == null || field.equals(letter.field()))
                    && (reasonContains == null || (letter.reason() != null && letter.reason().contains(reasonContains)))
                    && (since == null || (letter.rejectedAt() != null && !letter.rejectedAt().isBefore(since)));
        }
    }

    /**
     * The tenant a dead-lettered batch names, or null for a payload that is cut, not JSON, or names none: such a letter
     * is shown to admins only.
     */
    static String tenantOf(DeadLetter letter) {
        if (letter.payload() == null || Boolean.TRUE.equals(letter.payloadTruncated())) {
            return null;
        }
        try {
            var tree = io.carbonstream.events.EventJson.mapper().readTree(letter.payload());
            var tenant = tree == null ? null : tree.get("tenant");
            return tenant != null && tenant.isTextual() ? tenant.asText() : null;
        } catch (java.io.IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * One dead letter and where it lies on the dead-letter topic.
     *
     * @param redriveOf the letter ("partition/offset") whose redrive this letter rejected again, if any
     * @param redriven  whether it has been sent again since
     */
    public record Entry(int partition, long offset, String redriveOf, boolean redriven, DeadLetter letter) {

        String position() {
            return partition + "/" + offset;
        }
    }

    /**
     * What a redrive did: letters read, open letters that matched, batches sent again, and letters not sent
     * because their payload is no valid batch (sending it again cannot change the verdict).
     */
    public record Redrive(long scanned, long matched, long redriven, long skipped) {
    }

    /** The matching dead letters, oldest first per partition, at most {@code limit}; closed ones only when asked. */
    public List<Entry> list(Filter filter, int limit, boolean includeRedriven) {
        return scan().stream()
                .filter(e -> (includeRedriven || !e.redriven()) && filter.matches(e.letter()))
                .limit(limit).toList();
    }

    /**
     * Sends the original record of every open, matching dead letter again to {@code training.batches}, with its
     * key, waits for the broker's acknowledgement of each, then marks the letters redriven. Nothing is sent when
     * the topic cannot be read in full.
     */
    public Redrive redrive(Filter filter) {
        List<Entry> letters = scan();
        List<Entry> matched = letters.stream().filter(e -> !e.redriven() && filter.matches(e.letter())).toList();
        List<Entry> valid = matched.stream().filter(DeadLetters::isValidBatch).toList();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(client(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)), new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (Entry e : valid) {
                ProducerRecord<String, byte[]> batch = new ProducerRecord<>(Topics.TRAINING_BATCHES, e.letter().key(),
                        e.letter().payload().getBytes(StandardCharsets.UTF_8));
                batch.headers().add(REDRIVE_OF, e.position().getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(batch));
            }
            awaitAll(sent);
            // only acknowledged batches close their letters: a failure before this point leaves them open
            List<Future<?>> marks = new ArrayList<>();
            for (Entry e : valid) {
                ProducerRecord<String, byte[]> marker = new ProducerRecord<>(TOPIC, e.letter().key(), null);
                marker.headers().add(REDRIVEN, e.position().getBytes(StandardCharsets.UTF_8));
                marks.add(producer.send(marker));
            }
            awaitAll(marks);
        }
        registry.counter("carbonstream.telemetry.dead.letters.redriven").increment(valid.size());
        return new Redrive(letters.size(), matched.size(), valid.size(), matched.size() - valid.size());
    }

    private static boolean isValidBatch(Entry e) {
        DeadLetter letter = e.letter();
        if (!letter.hasWholePayload() || !Topics.TRAINING_BATCHES.equals(letter.topic())) {
            return false;
        }
        try {
            return BatchValidation.validate(EventJson.decode(letter.payload().getBytes(StandardCharsets.UTF_8),
                    BatchEvent.class)).isEmpty();
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    private static void awaitAll(List<Future<?>> futures) {
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw unavailable("the broker did not acknowledge a record: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted");
        }
    }

    /** Every dead letter from the topic's beginning to its end as of now (committed records only), markers applied. */
    private List<Entry> scan() {
        List<Entry> entries = new ArrayList<>();
        Set<String> redriven = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(client(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + SCAN_LIMIT.toNanos();
            while (!done(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw unavailable("reading " + TOPIC + " took over " + SCAN_LIMIT.toSeconds() + " s; nothing was sent");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L)) {
                        continue;
                    }
                    Header mark = r.headers().lastHeader(REDRIVEN);
                    if (mark != null) {
                        redriven.add(new String(mark.value(), StandardCharsets.UTF_8));
                        continue;
                    }
                    DeadLetter letter;
                    try {
                        letter = EventJson.decode(r.value(), DeadLetter.class);
                    } catch (RuntimeException e) {
                        continue; // not a dead letter this service wrote
                    }
                    Header of = r.headers().lastHeader(REDRIVE_OF);
                    entries.add(new Entry(r.partition(), r.offset(),
                            of == null ? null : new String(of.value(), StandardCharsets.UTF_8), false, letter));
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw unavailable("the broker could not be read: " + e.getMessage());
        }
        return entries.stream().map(e -> redriven.contains(e.position())
                ? new Entry(e.partition(), e.offset(), e.redriveOf(), true, e.letter()) : e).toList();
    }

    private Map<String, Object> client(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(security);
        all.putAll(settings);
        all.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return all;
    }

    /**
     * The {@code security.*}, {@code sasl.*} and {@code ssl.*} client settings given as {@code kafka.<setting>} or
     * {@code kafka-streams.<setting>} (the latter, which Kafka Streams is passed, wins), so that the clients here
     * reach a secured broker as the stream does.
     */
    static Map<String, Object> securityOf(Iterable<String> names, java.util.function.Function<String, String> value) {
        Map<String, Object> settings = new HashMap<>();
        List<String> all = new ArrayList<>();
        names.forEach(all::add); // the config's names can be iterated once only
        for (String prefix : List.of("kafka.", "kafka-streams.")) {
            for (String name : all) {
                if (!name.startsWith(prefix)) {
                    continue;
                }
                String key = name.substring(prefix.length());
                if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                    String v = value.apply(name);
                    if (v != null) {
                        settings.put(key, v);
                    }
                }
            }
        }
        return settings;
    }

    private static boolean done(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.unavailable(detail));
    }
}
