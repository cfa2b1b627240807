package io.carbonstream.carbon.streams;

import org.apache.kafka.common.serialization.Serializer;

/** An output record's value together with the topic it goes to. */
record Routed(String topic, byte[] payload) {

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
