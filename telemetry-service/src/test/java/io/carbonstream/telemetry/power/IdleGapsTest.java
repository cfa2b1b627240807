package io.carbonstream.telemetry.power;

import io.carbonstream.telemetry.power.IdleGaps.Interval;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IdleGapsTest {

    static final long S = 1_000_000_000L;
    static final long MAX = 300 * S;

    /** Feeds intervals in the given order the way the processor does and sums the deltas. */
    static long idleOf(List<Interval> arrivals) {
        TreeMap<Long, Interval> seen = new TreeMap<>();
        long total = 0;
        for (Interval b : arrivals) {
            if (seen.containsKey(b.startNanos())) {
                continue;
            }
            var prev = seen.lowerEntry(b.startNanos());
            var next = seen.higherEntry(b.startNanos());
            total += IdleGaps.deltaNanos(prev == null ? null : prev.getValue(), b, next == null ? null : next.getValue(), MAX);
            seen.put(b.startNanos(), b);
        }
        return total;
    }

    @Test
    void inOrderBatchesCountTheGapBeforeThem() {
        assertEquals(2 * S, idleOf(List.of(new Interval(0, S), new Interval(3 * S, 4 * S))));
    }

    @Test
    void aLateBatchInsideACountedGapTakesItsDurationBackOut() {
        Interval a = new Interval(0, 15 * S / 10);
        Interval b = new Interval(2 * S, 3 * S);
        Interval c = new Interval(35 * S / 10, 5 * S);
        assertEquals(2 * S, IdleGaps.deltaNanos(a, c, null, MAX));
        assertEquals(-S, IdleGaps.deltaNanos(a, b, c, MAX));
        assertEquals(S, idleOf(List.of(a, c, b)));
    }

    @Test
    void longPausesAndOverlapsAreNotIdle() {
        assertEquals(0, idleOf(List.of(new Interval(0, S), new Interval(400 * S, 401 * S))));
        assertEquals(0, idleOf(List.of(new Interval(0, 2 * S), new Interval(S, 3 * S))));
    }

    @Test
    void totalIdleIsTheSameInAnyArrivalOrderAndUnderRedelivery() {
        Random random = new Random(11);
        List<Interval> timeline = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < 300; i++) {
            t += random.nextInt(3) == 0 ? random.nextLong(400 * S) : random.nextLong(2 * S);
            long d = 1 + random.nextLong(3 * S);
            timeline.add(new Interval(t, t + d));
            t += d;
        }
        long sorted = idleOf(timeline);
        long expected = 0;
        for (int i = 1; i < timeline.size(); i++) {
            expected += IdleGaps.gap(timeline.get(i - 1), timeline.get(i), MAX);
        }
        assertEquals(expected, sorted);
        for (int round = 0; round < 20; round++) {
            List<Interval> shuffled = new ArrayList<>(timeline);
            shuffled.addAll(timeline.subList(0, 50)); // redelivered
            Collections.shuffle(shuffled, random);
            assertEquals(expected, idleOf(shuffled));
        }
    }
}
