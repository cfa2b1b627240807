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
}
