package io.carbonstream.streams;

import io.carbonstream.events.DeadLetter;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.Topics;
import io.carbonstream.events.TransientFailure;
import io.carbonstream.testing.TestInfrastructure;
import io.carbonstream.testing.TopicProbe;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The last-line handler and stream health on a real broker, around a processor that throws. */
class LastLineOnABrokerTest {

    @Test
    void anEscapedExceptionBecomesADeadLetterAndATransientFailureStopsTheClientWithHealthDown() throws Exception {
        String kafka = TestInfrastructure.shared().kafka().bootstrapServers();
        Topology topology = new Topology();
        topology.addSource("in", new StringDeserializer(), new StringDeserializer(), Topics.TRAINING_BATCHES);
        topology.addProcessor("pricing", () -> new Processor<String, String, Void, Void>() {
            @Override
            public void process(org.apache.kafka.streams.processor.api.Record<String, String> record) {
                if (record.value().equals("overflow")) {
                    throw new ArithmeticException("long overflow");
                }
                if (record.value().equals("catalog away")) {
                    throw new TransientFailure("the hardware catalog not loaded within PT60S");
                }
            }
        }, "in");
        Properties p = config(kafka, "last-line-test");
        StreamHealth health = new StreamHealth();
        health.stallTimeout = Duration.ofMinutes(2);
        try (KafkaStreams streams = new KafkaStreams(topology, p)) {
            health.streams = streams;
            streams.start();
            TopicProbe.produce(kafka, Topics.TRAINING_BATCHES, "job-x", "overflow", "job-x", "fine");
            try (TopicProbe dlq = new TopicProbe(kafka, Topics.deadLetterOf(Topics.TRAINING_BATCHES))) {
                var records = dlq.readUntil("job-x", r -> true, Duration.ofSeconds(60));
                DeadLetter letter = EventJson.decode(records.get(0).value().getBytes(StandardCharsets.UTF_8), DeadLetter.class);
                assertEquals("test-service", letter.service());
                assertEquals(Topics.TRAINING_BATCHES, letter.topic());
                assertEquals("overflow", letter.payload());
                assertEquals("processing failed in pricing: long overflow", letter.reason());
            }
            await(() -> streams.state() == KafkaStreams.State.RUNNING);
            assertEquals(HealthCheckResponse.Status.UP, health.check("stream threads").getStatus(), "the stream went on");

            TopicProbe.produce(kafka, Topics.TRAINING_BATCHES, "job-x", "catalog away");
            await(() -> streams.state() == KafkaStreams.State.ERROR);
            HealthCheckResponse down = health.check("stream threads");
            assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus());
            assertEquals("ERROR", down.getData().orElseThrow().get("state"));
        }
    }

    @Test
    void aFailureDownstreamOfTheProcessorOrInAPunctuationStopsTheClientAndDeadLettersNothing() throws Exception {
        String kafka = TestInfrastructure.shared().kafka().bootstrapServers();
        // the processor has done its work and forwarded; the node after it fails as a store or a sink fails
        Topology downstream = new Topology();
        downstream.addSource("in", new StringDeserializer(), new StringDeserializer(), Topics.TRAINING_BATCHES);
        downstream.addProcessor("pricing", () -> new Processor<String, String, String, String>() {
            private org.apache.kafka.streams.processor.api.ProcessorContext<String, String> context;

            @Override
            public void init(org.apache.kafka.streams.processor.api.ProcessorContext<String, String> context) {
                this.context = context;
            }

            @Override
            public void process(org.apache.kafka.streams.processor.api.Record<String, String> record) {
                context.forward(record);
            }
        }, "in");
        downstream.addProcessor("after", () -> new Processor<String, String, Void, Void>() {
            @Override
            public void process(org.apache.kafka.streams.processor.api.Record<String, String> record) {
                if (record.value().equals("store broken")) {
                    throw new org.apache.kafka.streams.errors.ProcessorStateException("Error while putting key job-y to store s");
                }
            }
        }, "pricing");
        // a scheduled flush that fails: there is no record to blame
        Topology scheduled = new Topology();
        scheduled.addSource("in", new StringDeserializer(), new StringDeserializer(), Topics.TRAINING_BATCHES);
        scheduled.addProcessor("flush", () -> new Processor<String, String, Void, Void>() {
            private boolean armed;

            @Override
            public void init(org.apache.kafka.streams.processor.api.ProcessorContext<Void, Void> context) {
                context.schedule(Duration.ofMillis(100), org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME,
                        now -> {
                            if (armed) {
                                throw new ArithmeticException("long overflow");
                            }
                        });
            }

            @Override
            public void process(org.apache.kafka.streams.processor.api.Record<String, String> record) {
                armed |= record.value().equals("flush badly");
            }
        }, "in");
        TopicProbe.produce(kafka, Topics.TRAINING_BATCHES, "job-y", "store broken", "job-z", "flush badly");
        for (var t : java.util.Map.of("last-line-downstream", downstream, "last-line-punctuation", scheduled).entrySet()) {
            Properties p = config(kafka, t.getKey());
            p.put(LastLineExceptionHandler.FALLBACK_CONFIG, Topics.deadLetterOf(Topics.TELEMETRY_ENERGY));
            try (KafkaStreams streams = new KafkaStreams(t.getValue(), p)) {
                streams.start();
                await(() -> streams.state() == KafkaStreams.State.ERROR);
            }
        }
        for (String topic : java.util.List.of(Topics.deadLetterOf(Topics.TRAINING_BATCHES), Topics.deadLetterOf(Topics.TELEMETRY_ENERGY))) {
            try (TopicProbe dlq = new TopicProbe(kafka, topic)) {
                var none = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> dlq.readUntil(null,
                        r -> r.value().contains("job-y") || r.value().contains("job-z") || r.value().contains("failed in flush"),
                        Duration.ofSeconds(5)));
                assertTrue(none.getMessage().startsWith("no matching record"), none.getMessage());
            }
        }
    }

    /** An exactly-once client behind the last-line handler, reading its input from the beginning. */
    private static Properties config(String kafka, String applicationId) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(StreamsConfig.STATE_DIR_CONFIG, "target/" + applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LastLineExceptionHandler.class.getName());
        p.put(LastLineExceptionHandler.SERVICE_CONFIG, "test-service");
        p.put("consumer.auto.offset.reset", "earliest");
        return p;
    }

    /** Waits up to 60 s for {@code condition}; the other broker tests of this package use it too. */
    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 60 s");
            Thread.sleep(100);
        }
    }
}
