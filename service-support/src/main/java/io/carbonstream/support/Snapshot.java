package io.carbonstream.support;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An immutable value (a catalog read from the database) replaced whole when it changes, so that a stream
 * processor always applies one consistent version; readers wait for the first load, so nothing is ever judged
 * against an empty catalog.
 *
 * @param <T> the snapshot's type
 */
public final class Snapshot<T> {

    private final String what;
    private final AtomicReference<T> current = new AtomicReference<>();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicLong tickets = new java.util.concurrent.atomic.AtomicLong();
    private long applied = Long.MIN_VALUE;

    /** @param what what the snapshot holds, for the error when it never loads */
    public Snapshot(String what) {
        this.what = what;
    }

    /**
     * A ticket for a refresh, taken before it reads the database: refreshes that overlap (a periodic one and one after
     * a change) may finish in any order, and only the one that started last is applied.
     */
    public long begin() {
        return tickets.incrementAndGet();
    }

    /** Applies the value read by the refresh that took {@code ticket}, unless one that started later was applied. */
    public synchronized void replace(long ticket, T value) {
        if (ticket > applied) {
            applied = ticket;
            current.set(value);
            loaded.countDown();
        }
    }

    /** Applies a value now. */
    public void replace(T value) {
        replace(begin(), value);
    }

    /** The current value, waiting up to {@code timeout} for the first one. */
    public T await(Duration timeout) {
        try {
            if (!loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new io.carbonstream.events.TransientFailure(what + " not loaded within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.carbonstream.events.TransientFailure(what + ": interrupted while waiting", e);
        }
        return current.get();
    }
}
