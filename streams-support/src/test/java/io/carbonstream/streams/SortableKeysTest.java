package io.carbonstream.streams;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SortableKeysTest {

    @Test
    void zeroPaddedIsTheFormattersTextForEveryMagnitude() {
        long[] values = {0, 1, 9, 10, 1_700_000_000L, 1_700_000_000_123_456_789L, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        for (long n : values) {
            assertEquals(String.format("%020d", n), SortableKeys.zeroPadded(n), String.valueOf(n));
        }
        assertEquals("00000000000000000042", SortableKeys.zeroPadded(42));
    }
}
