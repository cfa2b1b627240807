package io.carbonstream.streams;

import java.time.Duration;

/**
 * How long a stream service remembers what it needs to count each batch once ({@code carbonstream.retention.horizon},
 * 24 hours by default), and how fast a {@link StoreSweeper} walks its stores to forget what is older
 * ({@code carbonstream.retention.sweep-entries} entries per task every {@link #SWEEP_EVERY}, 2000 by default: a store
 * of a million entries on one task is walked in about eight minutes, for about 1 % of a core; an idle task sweeps
 * less often, see {@link #SWEEP_WHEN_IDLE_AT_MOST}). What each service keeps,
 * and what a batch older than the horizon gets, is in docs/reliability.md.
 *
 * @param horizon      how long an entry is kept; at least one second
 * @param sweepEntries entries read per task and sweep; at least one
 */
public record Retention(Duration horizon, int sweepEntries) {

    /** How often each task sweeps while records arrive or the sweeps find something to delete. */
    public static final Duration SWEEP_EVERY = Duration.ofSeconds(1);
    /**
     * How seldom an idle task sweeps at most: each sweep that deletes nothing with no record since the one before
     * doubles the interval up to this, since every punctuation costs an idle task a transaction. A record, or a sweep
     * that deletes something, brings it back to {@link #SWEEP_EVERY}.
     */
    public static final Duration SWEEP_WHEN_IDLE_AT_MOST = Duration.ofSeconds(32);

    /** Schedules a processor's sweep: every {@link #SWEEP_EVERY}, slowing down to {@link #SWEEP_WHEN_IDLE_AT_MOST} while idle. */
    public static IdlePunctuation sweeping(org.apache.kafka.streams.processor.api.ProcessorContext<?, ?> context,
                                           IdlePunctuation.Work sweep) {
        return IdlePunctuation.slowingWhenIdle(context, SWEEP_EVERY, SWEEP_WHEN_IDLE_AT_MOST, sweep);
    }

    public Retention {
        if (horizon == null || horizon.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("carbonstream.retention.horizon must be at least 1 s, not " + horizon);
        }
        if (sweepEntries < 1) {
            throw new IllegalArgumentException("carbonstream.retention.sweep-entries must be at least 1, not " + sweepEntries);
        }
    }
}
