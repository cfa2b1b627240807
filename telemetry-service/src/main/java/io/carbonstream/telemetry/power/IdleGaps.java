package io.carbonstream.telemetry.power;

/**
 * Idle time between a worker's batches, counted exactly whatever order the batches arrive in. A worker's idle
 * time is the sum of the gaps between its consecutive batches (in time order), each gap counted only when it is
 * positive and at most {@code maxGap} (a longer pause means the worker was not training: stopped, preempted,
 * waiting in a queue). Each arriving batch carries the change it makes to that sum:
 * <pre>
 *   delta(B) = gap(prev, B) + gap(B, next) - gap(prev, next)
 * </pre>
 * where prev and next are the worker's batches already seen that start just before and just after B. A batch
 * arriving in order adds the gap before it; a late batch that lands inside a gap already counted takes its own
 * duration back out. Summed over all batches, the deltas equal the idle time of the sorted timeline.
 */
public final class IdleGaps {

    private IdleGaps() {
    }

    /** A batch's time span in nanoseconds since the epoch. */
    public record Interval(long startNanos, long endNanos) {
    }

    public static long deltaNanos(Interval prev, Interval batch, Interval next, long maxGapNanos) {
        return gap(prev, batch, maxGapNanos) + gap(batch, next, maxGapNanos) - gap(prev, next, maxGapNanos);
    }

    static long gap(Interval before, Interval after, long maxGapNanos) {
        if (before == null || after == null) {
            return 0;
        }
        long gap = after.startNanos() - before.endNanos();
        return gap > 0 && gap <= maxGapNanos ? gap : 0;
    }
}
