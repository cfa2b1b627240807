package io.carbonstream.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A record a service could not accept, on the dead-letter topic of the topic it came from
 * ({@link Topics#deadLetterOf(String)}), keyed like the original.
 *
 * @param service          the service that rejected it
 * @param topic            the topic it was read from
 * @param partition        its partition there
 * @param offset           its offset there
 * @param key              its key (as text; cut to {@link #MAX_KEY_CHARS})
 * @param reason           why it was rejected (cut to {@link #MAX_REASON_CHARS})
 * @param field            the offending field, when one field is to blame
 * @param payload          the record's value as UTF-8 text; its first {@link #MAX_TRUNCATED_PAYLOAD_CHARS}
 *                         characters when it was too large to be sent whole
 * @param rejectedAt       when it was rejected
 * @param payloadBytes     the size of the original value in bytes
 * @param payloadSha256    the SHA-256 of the original value's bytes (hex), to find the original by
 * @param payloadTruncated true when {@code payload} holds only the start of the value
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
        Instant rejectedAt,
        Integer payloadBytes,
        String payloadSha256,
        Boolean payloadTruncated) {

    public static final int SCHEMA_VERSION = 1;
    /**
     * Largest value kept whole: 64 KiB. Every valid event is far smaller; a value of quotes or control characters
     * grows up to six times when escaped into the letter's JSON, which then still fits Kafka's default 1 MiB
     * {@code max.request.size}.
     */
    public static final int MAX_WHOLE_PAYLOAD_BYTES = 64 * 1024;
    /** Characters of a larger value kept: its start, enough to see what it was. */
    public static final int MAX_TRUNCATED_PAYLOAD_CHARS = 4096;
    public static final int MAX_KEY_CHARS = 1024;
    public static final int MAX_REASON_CHARS = 2048;

    /**
     * A dead letter for a record read at (topic, partition, offset). The payload bytes are kept as UTF-8 text, whole
     * up to {@link #MAX_WHOLE_PAYLOAD_BYTES}; beyond that, truncated, with the original's size and hash.
     */
    public static DeadLetter of(String service, String topic, int partition, long offset, String key, String field,
                                String reason, byte[] payload, Instant rejectedAt) {
        String text = null;
        boolean truncated = false;
        if (payload != null) {
            text = new String(payload, StandardCharsets.UTF_8);
            if (payload.length > MAX_WHOLE_PAYLOAD_BYTES) {
                text = text.substring(0, Math.min(text.length(), MAX_TRUNCATED_PAYLOAD_CHARS));
                truncated = true;
            }
        }
        return new DeadLetter(SCHEMA_VERSION, service, topic, partition, offset, EventJson.truncate(key, MAX_KEY_CHARS),
                EventJson.truncate(reason, MAX_REASON_CHARS), EventJson.truncate(field, Limits.MAX_ID_LENGTH), text, rejectedAt,
                payload == null ? null : payload.length, payload == null ? null : sha256(payload), truncated);
    }

    /** Whether {@link #payload()} is the whole original value. */
    public boolean hasWholePayload() {
        return payload != null && !Boolean.TRUE.equals(payloadTruncated);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
