package io.carbonstream.events;

import java.time.Instant;

/**
 * A record a service could not accept, on the dead-letter topic of the topic it came from
 * ({@link Topics#deadLetterOf(String)}), keyed like the original.
 *
 * @param service    the service that rejected it
 * @param topic      the topic it was read from
 * @param partition  its partition there
 * @param offset     its offset there
 * @param key        its key (as text)
 * @param reason     why it was rejected
 * @param field      the offending field, when one field is to blame
 * @param payload    the record's value as text
 * @param rejectedAt when it was rejected
 */
public record DeadLetter(
        Integer schemaVersion,
        String service,
        String topic,
        int partition,
        long offset,
        String key,
        String reason,
        String field,
        String payload,
        Instant rejectedAt) {

    public static final int SCHEMA_VERSION = 1;

    /** A dead letter for a record read at (topic, partition, offset); the payload bytes are kept as UTF-8 text. */
    public static DeadLetter of(String service, String topic, int partition, long offset, String key, String field,
                                String reason, byte[] payload, Instant rejectedAt) {
        return new DeadLetter(SCHEMA_VERSION, service, topic, partition, offset, key, reason, field,
                payload == null ? null : new String(payload, java.nio.charset.StandardCharsets.UTF_8), rejectedAt);
    }
}
