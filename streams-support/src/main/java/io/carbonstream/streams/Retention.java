package io.carbonstream.streams;

import java.time.Duration;

/**
 * How long a stream service remembers what it needs to count each batch once ({@code carbonstream.retention.horizon},
 * 24 hours by default), and how fast a {@link StoreSweeper} walks its stores to forget what is older
 * ({@code carbonstream.retention.sweep-entries} entries per task every {@link #SWEEP_EVERY}, 2000 by default: a store
 * of a million entries on one task is walked in about eight minutes, for about 1 % of a core). What each service keeps,
 * and what a batch older than the horizon gets, is in docs/reliability.md.
 *
 * @param horizon      how long an entry is kept; at least one second
 * @param sweepEntries entries read per task and sweep; at least one
 */
public record Retention(Duration horizon, int sweepEntries) {

    /** How often each task sweeps. */
    public static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

    public Retention {
        if (horizon == null || horizon.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("carbonstream.retention.horizon must be at least 1 s, not " + horizon);
        }
        if (sweepEntries < 1) {
            throw new IllegalArgumentException("carbonstream.retention.sweep-entries must be at least 1, not " + sweepEntries);
        }
    }
}
