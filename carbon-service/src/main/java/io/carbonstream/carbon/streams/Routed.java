package io.carbonstream.carbon.streams;

import org.apache.kafka.common.serialization.Serializer;

/**
 * An output record of carbon-service's processors: its value, and where it goes. {@link Sink#TOPIC}: to a topic
 * ({@code topic}: carbon.footprint, carbon.rollups, carbon.alerts, a dead-letter topic), through the topology's one
 * topic sink. {@link Sink#ROLLUP_DELTAS}: through the repartition to the roll-up owners ({@link RollupProcessor}),
 * which the topology splits off by this kind, never by a topic name.
 */
record Routed(Sink sink, String topic, byte[] payload) {

    /** Where a processor's output goes. */
    enum Sink { TOPIC, ROLLUP_DELTAS }

    /** A record for {@code topic}. */
    static Routed to(String topic, byte[] payload) {
        return new Routed(Sink.TOPIC, topic, payload);
    }

    /** A roll-up key's summed delta ({@code Rollups.Delta}) for the key's owner. */
    static Routed rollupDelta(byte[] payload) {
        return new Routed(Sink.ROLLUP_DELTAS, null, payload);
    }

    /**
     * A job's footprint for carbon.footprint, with the headers of {@code from} (the record that caused it; null: none)
     * and {@link io.carbonstream.events.Topics#JOB_STATE_HEADER} set to the footprint's job state, replacing any header
     * of that name the cause carried.
     */
    static org.apache.kafka.streams.processor.api.Record<String, Routed> footprint(String jobId, String jobState,
            byte[] footprint, long timestamp, org.apache.kafka.common.header.Headers from) {
        var headers = new org.apache.kafka.common.header.internals.RecordHeaders(
                from == null ? new org.apache.kafka.common.header.Header[0] : from.toArray());
        headers.remove(io.carbonstream.events.Topics.JOB_STATE_HEADER);
        headers.add(io.carbonstream.events.Topics.JOB_STATE_HEADER, stateBytes(jobState));
        return new org.apache.kafka.streams.processor.api.Record<>(jobId,
                to(io.carbonstream.events.Topics.CARBON_FOOTPRINT, footprint), timestamp, headers);
    }

    /** The header's value: the state's bytes, empty while the job's state is not known. */
    static byte[] stateBytes(String jobState) {
        return jobState == null ? new byte[0] : jobState.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    boolean isRollupDelta() {
        return sink == Sink.ROLLUP_DELTAS;
    }

    /**
     * The dead letter of the record being processed, to the dead-letter topic of the topic it was read from, counted
     * in {@code carbonstream_carbon_dead_letters_total{topic,reason}} (reason: invalid when a field is at fault, else unprocessable).
     */
    static Routed deadLetter(org.apache.kafka.streams.processor.api.ProcessorContext<?, ?> context, String key, byte[] value,
                             String field, String reason, java.time.Instant now,
                             io.micrometer.core.instrument.MeterRegistry registry) {
        var meta = context.recordMetadata().orElse(null);
        String topic = meta == null ? null : meta.topic();
        io.carbonstream.events.DeadLetter letter = io.carbonstream.events.DeadLetter.of(FootprintProcessor.SERVICE, topic,
                meta == null ? -1 : meta.partition(), meta == null ? -1 : meta.offset(), key, field, reason, value, now);
        registry.counter("carbonstream.carbon.dead.letters", "topic", String.valueOf(topic), "reason", field == null ? "unprocessable" : "invalid").increment();
        return to(io.carbonstream.events.Topics.deadLetterOf(topic), io.carbonstream.events.EventJson.encode(letter));
    }

    /** Forwards each budget alert to {@code carbon.alerts} under {@code key}, counted in carbonstream_budget_alerts_total. */
    static void alerts(org.apache.kafka.streams.processor.api.ProcessorContext<String, Routed> context,
                       org.apache.kafka.streams.processor.api.Record<String, byte[]> record, String key,
                       java.util.List<io.carbonstream.events.AlertEvent> alerts, io.micrometer.core.instrument.MeterRegistry registry) {
        for (var alert : alerts) {
            context.forward(record.withKey(key).withValue(to(io.carbonstream.events.Topics.CARBON_ALERTS,
                    io.carbonstream.events.EventJson.encode(alert))));
            registry.counter("carbonstream.budget.alerts", "scope", alert.scope().name(), "tenant", alert.tenant(),
                    "threshold", String.valueOf(alert.thresholdPercent())).increment();
        }
    }

    /** A serde that writes only the payload; the topic is chosen by the sink's topic extractor. */
    static org.apache.kafka.common.serialization.Serde<Routed> serde() {
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(new PayloadSerializer(), Routed::to);
    }

    /** Writes only the payload. */
    static final class PayloadSerializer implements Serializer<Routed> {
        @Override
        public byte[] serialize(String topic, Routed data) {
            return data == null ? null : data.payload();
        }
    }
}
