package io.carbonstream.trainer.rest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReportRateLimitTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void aBucketRefillsAtTheRateUpToTheBurstAndSaysHowLongToWait() {
        var bucket = new ReportRateLimit.Bucket(10, 0);
        assertEquals(0, bucket.take(10, 5, 10, 0));
        // empty: 4 reports need 4 / 5 s
        assertEquals(0.8, bucket.take(4, 5, 10, 0), 1e-9);
        // half a second later 2.5 are there: 4 still need 1.5 / 5 s
        assertEquals(0.3, bucket.take(4, 5, 10, SECOND / 2), 1e-9);
        // an hour later the bucket holds the burst, no more
        assertEquals(0, bucket.take(10, 5, 10, 3600 * SECOND));
        assertEquals(0.2, bucket.take(1, 5, 10, 3600 * SECOND), 1e-9);
    }

    @Test
    void aRequestLargerThanTheBurstIsStillServedOnceTheBucketIsFull() {
        var bucket = new ReportRateLimit.Bucket(5, 0);
        assertEquals(0, bucket.take(8, 1, 5, 3 * SECOND));
    }
}
