package io.carbonstream.carbon.streams;

import io.carbonstream.carbon.accounting.TimelineBucket;
import io.carbonstream.events.EventJson;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class DecodedTest {

    static final Instant MINUTE = Instant.parse("2026-11-01T10:00:00Z");

    static TimelineBucket bucket(long batches) {
        return new TimelineBucket(MINUTE, batches, 0, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ZERO);
    }

    @Test
    void theValueWrittenIsReusedOnlyWhileTheStoreHoldsExactlyItsBytes() {
        Decoded<TimelineBucket> decoded = new Decoded<>(TimelineBucket.class, 10);
        TimelineBucket written = bucket(1);
        byte[] bytes = EventJson.encode(written);
        decoded.wrote("k", bytes, written);
        // the store gives back equal bytes in a new array: the written value, not parsed again
        assertSame(written, decoded.of("k", bytes.clone()));
        // other bytes (a restore, an aborted transaction, another writer): decoded from the store's bytes
        TimelineBucket other = decoded.of("k", EventJson.encode(bucket(2)));
        assertEquals(2, other.batches());
        assertNotSame(written, other);
        assertSame(other, decoded.of("k", EventJson.encode(bucket(2))));
        // gone from the store: null, and forgotten
        assertNull(decoded.of("k", null));
        assertEquals(2, decoded.of("k", EventJson.encode(bucket(2))).batches());
    }

    @Test
    void theLeastRecentlyUsedKeysAreDroppedBeyondTheBound() {
        Decoded<TimelineBucket> decoded = new Decoded<>(TimelineBucket.class, 2);
        TimelineBucket a = bucket(1);
        TimelineBucket b = bucket(2);
        TimelineBucket c = bucket(3);
        decoded.wrote("a", EventJson.encode(a), a);
        decoded.wrote("b", EventJson.encode(b), b);
        assertSame(a, decoded.of("a", EventJson.encode(a)));   // a used: b is now the eldest
        decoded.wrote("c", EventJson.encode(c), c);
        assertSame(a, decoded.of("a", EventJson.encode(a)));
        assertSame(c, decoded.of("c", EventJson.encode(c)));
        assertNotSame(b, decoded.of("b", EventJson.encode(b)));  // dropped, so parsed again (an equal value)
    }
}
