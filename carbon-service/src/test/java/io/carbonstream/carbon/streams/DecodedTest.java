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
        Decoded<TimelineBucket> decoded = new Decoded<>(TimelineBucket.class, new Decoded.Shared(1 << 20));
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
    void everyCacheOfTheJvmSharesOneBudgetAndTheLeastRecentlyUsedEntriesOfAnyGoFirst() {
        byte[] bytesA = EventJson.encode(bucket(1));
        long one = Decoded.Shared.weight("a", bytesA);
        // room for two entries of this size, not three
        Decoded.Shared shared = new Decoded.Shared(2 * one + one / 2);
        Decoded<TimelineBucket> first = new Decoded<>(TimelineBucket.class, shared);
        Decoded<TimelineBucket> second = new Decoded<>(TimelineBucket.class, shared);
        TimelineBucket a = bucket(1);
        TimelineBucket b = bucket(2);
        TimelineBucket c = bucket(3);
        first.wrote("a", EventJson.encode(a), a);
        second.wrote("b", EventJson.encode(b), b);
        assertEquals(2 * one, shared.weight());
        assertSame(a, first.of("a", EventJson.encode(a)));      // a used: b, of the other cache, is now the eldest
        first.wrote("c", EventJson.encode(c), c);
        assertEquals(2, shared.size());
        assertEquals(2 * one, shared.weight());
        assertSame(a, first.of("a", EventJson.encode(a)));
        assertSame(c, first.of("c", EventJson.encode(c)));
        assertNotSame(b, second.of("b", EventJson.encode(b)));  // dropped, so parsed again (an equal value)
        assertEquals(2, second.of("b", EventJson.encode(b)).batches());
        // the same key in two caches is two entries: "a" of the second cache is not the first's
        assertNotSame(a, second.of("a", EventJson.encode(a)));
        // a key gone from its store leaves the budget
        long before = shared.weight();
        assertNull(second.of("a", null));
        assertEquals(before - one, shared.weight());
    }

    @Test
    void anEntryLargerThanTheWholeBudgetIsKeptAloneUntilTheNextOne() {
        Decoded.Shared shared = new Decoded.Shared(10);
        Decoded<TimelineBucket> decoded = new Decoded<>(TimelineBucket.class, shared);
        TimelineBucket a = bucket(1);
        decoded.wrote("a", EventJson.encode(a), a);
        assertEquals(1, shared.size());
        assertSame(a, decoded.of("a", EventJson.encode(a)));
        TimelineBucket b = bucket(2);
        decoded.wrote("b", EventJson.encode(b), b);
        assertEquals(1, shared.size());
        assertNotSame(a, decoded.of("a", EventJson.encode(a)));
    }

    @Test
    void theJvmsBudgetIsAnEighthOfTheHeapAtMost64MiB() {
        assertEquals(24L << 20, Decoded.Shared.budgetOf(192L << 20));
        assertEquals(48L << 20, Decoded.Shared.budgetOf(384L << 20));
        assertEquals(64L << 20, Decoded.Shared.budgetOf(4L << 30));
    }
}
