package io.carbonstream.carbon.streams;

import org.apache.kafka.common.serialization.Serializer;

/** An output record's value together with the topic it goes to. */
record Routed(String topic, byte[] payload) {

    /**
     * The dead letter of the record being processed, to the dead-letter topic of the topic it was read from, counted
     * in {@code carbonstream_carbon_dead_letters_total{topic}}.
     */
    static Routed deadLetter(org.apache.kafka.streams.processor.api.ProcessorContext<?, ?> context, String key, byte[] value,
                             String field, String reason, java.time.Instant now,
                             io.micrometer.core.instrument.MeterRegistry registry) {
        var meta = context.recordMetadata().orElse(null);
        String topic = meta == null ? null : meta.topic();
        io.carbonstream.events.DeadLetter letter = io.carbonstream.events.DeadLetter.of(FootprintProcessor.SERVICE, topic,
                meta == null ? -1 : meta.partition(), meta == null ? -1 : meta.offset(), key, field, reason, value, now);
        registry.counter("carbonstream.carbon.dead.letters", "topic", String.valueOf(topic)).increment();
        return new Routed(io.carbonstream.events.Topics.deadLetterOf(topic), io.carbonstream.events.EventJson.encode(letter));
    }

    /** A serde that writes only the payload; the topic is chosen by the sink's topic extractor. */
    static org.apache.kafka.common.serialization.Serde<Routed> serde() {
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(new PayloadSerializer(), (topic, data) -> new Routed(topic, data));
    }

    /** Writes only the payload. */
    static final class PayloadSerializer implements Serializer<Routed> {
        @Override
        public byte[] serialize(String topic, Routed data) {
            return data == null ? null : data.payload();
        }
    }
}
