package io.carbonstream.benchmarks.stack;

import java.time.Duration;

/** Fails a phase fast, naming it and what it had done, when its count stops growing for {@link #STALL}. */
final class Watchdog {

    /**
     * How long a phase may go without progress before the benchmark fails it (60 s; {@code -Dbench.stall-seconds}):
     * longer than a cold service's first commit or a rebalance, far shorter than a user waits for a stuck run.
     */
    static final Duration STALL = Duration.ofSeconds(Long.getLong("bench.stall-seconds", 60));

    private final String phase;
    private final Duration limit;
    private long count = -1;
    private long since = System.nanoTime();

    Watchdog(String phase) {
        this(phase, STALL);
    }

    Watchdog(String phase, Duration limit) {
        this.phase = phase;
        this.limit = limit;
    }

    /** Takes the phase's progress so far; throws when it has not grown for the limit. */
    void progress(long now, String detail) {
        long t = System.nanoTime();
        if (now > count) {
            count = now;
            since = t;
        } else if (t - since > limit.toNanos()) {
            throw new IllegalStateException(phase + ": no progress for " + limit.toSeconds() + " s: " + detail);
        }
    }
}
