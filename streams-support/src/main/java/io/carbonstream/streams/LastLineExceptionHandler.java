package io.carbonstream.streams;

import io.carbonstream.events.DeadLetter;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.Topics;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The last line behind every stream processor: a record that a processor could not handle itself (an exception
 * escaped it) or that could not be deserialized becomes a dead letter on the dead-letter topic of the topic it
 * came from, and the stream goes on with the next record. Processors dead-letter what they recognise as bad
 * themselves, inside their transaction; this handler catches the rest, so no single record can stop a stream
 * thread. Its letters are sent by a producer of its own and acknowledged before the stream moves on; if even that
 * fails, the thread fails (and health goes DOWN) rather than lose the record. Failures that are not the record's
 * ({@link #notTheRecords}) and failures of punctuations, which have no record, fail the thread instead: the work is
 * done again from the last commit, exactly once.
 *
 * <p>Configured as {@code kafka-streams.processing.exception.handler} and
 * {@code kafka-streams.deserialization.exception.handler}; settings it reads besides the client's own
 * ({@code bootstrap.servers}, {@code security.*}, {@code sasl.*}, {@code ssl.*}):
 * {@value #SERVICE_CONFIG} (who rejected the record) and {@value #FALLBACK_CONFIG} (where letters go for records
 * of topics outside the contract, such as internal repartition topics).
 */
public class LastLineExceptionHandler implements ProcessingExceptionHandler, DeserializationExceptionHandler {

    public static final String SERVICE_CONFIG = "carbonstream.service";
    public static final String FALLBACK_CONFIG = "carbonstream.dead-letter.fallback-topic";
    /** The counter of letters this handler sent, tagged with the service and the kind of failure. */
    public static final String METRIC = "carbonstream.dead.letters.last.line";

    private static final Logger LOG = Logger.getLogger(LastLineExceptionHandler.class);

    private final Map<String, Object> producerConfig = new HashMap<>();
    private String service = "unknown";
    private String fallbackTopic;
    private Producer<String, byte[]> producer;

    @Override
    public void configure(Map<String, ?> configs) {
        configs.forEach((k, v) -> {
            if (k.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) || k.startsWith("security.") || k.startsWith("sasl.")
                    || k.startsWith("ssl.")) {
                producerConfig.put(k, v);
            }
        });
        if (configs.get(SERVICE_CONFIG) != null) {
            service = configs.get(SERVICE_CONFIG).toString();
        }
        fallbackTopic = configs.get(FALLBACK_CONFIG) == null ? null : configs.get(FALLBACK_CONFIG).toString();
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (context.topic() == null) {
            // a punctuation (a scheduled flush or sweep): there is no record to blame, and going on would drop what
            // it was writing (a summed roll-up delta deleted once forwarded, say)
            LOG.errorf(exception, "a scheduled task of %s failed: the stream thread stops and its work is done again"
                    + " from the last commit", context.processorNodeId());
            return ProcessingHandlerResponse.FAIL;
        }
        if (notTheRecords(exception)) {
            LOG.errorf(exception, "failure of the stream itself on %s[%d]@%d in %s: the stream thread stops and the record"
                    + " is tried again from the last commit", context.topic(), context.partition(), context.offset(),
                    context.processorNodeId());
            return ProcessingHandlerResponse.FAIL;
        }
        boolean sent = deadLetter(context.topic(), context.partition(), context.offset(), context.sourceRawKey(),
                context.sourceRawValue(), "processing failed in " + context.processorNodeId(), exception, "processing");
        return sent ? ProcessingHandlerResponse.CONTINUE : ProcessingHandlerResponse.FAIL;
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                 Exception exception) {
        boolean sent = deadLetter(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                "cannot be deserialized", exception, "deserialization");
        return sent ? DeserializationHandlerResponse.CONTINUE : DeserializationHandlerResponse.FAIL;
    }

    /** Sends the letter and waits for the broker; false when it could not be sent. */
    boolean deadLetter(String topic, int partition, long offset, byte[] rawKey, byte[] rawValue, String what,
                       Exception exception, String kind) {
        String key = rawKey == null ? null : new String(rawKey, StandardCharsets.UTF_8);
        String reason = what + ": " + describe(exception);
        String target = targetTopic(topic);
        LOG.warnf("dead-lettering %s[%d]@%d to %s: %s", topic, partition, offset, target, reason);
        if (target == null) {
            LOG.errorf(exception, "no dead-letter topic for %s and none configured in %s", topic, FALLBACK_CONFIG);
            return false;
        }
        DeadLetter letter = DeadLetter.of(service, topic, partition, offset, key, null, reason, rawValue, Instant.now());
        try {
            producer().send(new ProducerRecord<>(target, letter.key(), EventJson.encode(letter))).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.errorf(e, "could not send the dead letter of %s[%d]@%d; the stream thread stops rather than lose it",
                    topic, partition, offset);
            return false;
        }
        Metrics.counter(METRIC, "service", service, "kind", kind).increment();
        return true;
    }

    /**
     * A failure that says nothing about the record, so it must be retried, not dead-lettered: one of carbonstream's
     * {@link io.carbonstream.events.TransientFailure}s (a catalog not loaded yet), or any failure of Kafka's own
     * machinery ({@code KafkaException}: a retriable broker error, a state store migrating or failing in RocksDB, a
     * send to a sink topic that failed after the processor forwarded to it). Dead-lettering the record then would
     * take a good batch out of the totals; worse, when the failure is in a node downstream of the processor, the
     * processor has already written its state and goes on as if its output had been sent.
     */
    static boolean notTheRecords(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.carbonstream.events.TransientFailure || t instanceof org.apache.kafka.common.KafkaException) {
                return true;
            }
        }
        return false;
    }

    /** The dead-letter topic of a contract topic, or the fallback for any other topic (internal topics). */
    String targetTopic(String topic) {
        if (topic != null && Topics.ALL.contains(topic) && !topic.endsWith(Topics.DEAD_LETTER_SUFFIX)) {
            return Topics.deadLetterOf(topic);
        }
        return fallbackTopic;
    }

    /** The failure in one line: the innermost cause's message, without Java class names. */
    static String describe(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return EventJson.withoutJavaNames(message);
    }

    private synchronized Producer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> config = new HashMap<>(producerConfig);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, service + "-last-line-dead-letters");
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
            producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }
}
