package io.carbonstream.streams;

import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

import java.time.Duration;

/**
 * A wall-clock punctuation that stays out of the way of an idle task.
 *
 * <p>Kafka Streams marks a task as needing a commit after every wall-clock punctuation, whether it wrote anything
 * or not, and under exactly-once a commit is a transaction: a 100 ms punctuator scheduled for good made an idle
 * carbon-service commit ten transactions a second, each one three requests to the broker and four appends to
 * {@code __transaction_state} and {@code __consumer_offsets}, for nothing. This schedules the work only while it
 * has some:
 * <ul>
 *   <li>{@link #whileDemanded}: runs every interval after {@link #demand()} and stops after a run that leaves
 *       nothing for the next one; the processor demands it whenever it writes what the work will pick up (and
 *       once in {@code init}, for what a restored store holds). Nothing waits longer than one interval.</li>
 *   <li>{@link #slowingWhenIdle}: runs every interval while {@link #demand()}ed or busy; each run that finds nothing
 *       to do without a demand since the last one doubles the interval, up to {@code slowest}; a demand (a record)
 *       or a busy run brings it back to the interval. For retention sweeps, which must go on while a task is idle
 *       but have nothing to do most of the time.</li>
 * </ul>
 * Only for the processor's own thread, like the context it schedules on.
 */
public final class IdlePunctuation {

    /** The scheduled work. */
    @FunctionalInterface
    public interface Work {
        /**
         * @param nowMs the task's wall-clock time
         * @return true when it did something, or left something for the next run
         */
        boolean run(long nowMs);
    }

    private final ProcessorContext<?, ?> context;
    private final Duration interval;
    private final Duration slowest;
    private final Work work;
    /** Whether a run that finds nothing ends the schedule ({@link #whileDemanded}) or slows it down. */
    private final boolean endsWhenIdle;
    private Cancellable scheduled;
    private Duration current;
    private boolean demanded;

    private IdlePunctuation(ProcessorContext<?, ?> context, Duration interval, Duration slowest, boolean endsWhenIdle, Work work) {
        if (interval.isNegative() || interval.isZero() || slowest.compareTo(interval) < 0) {
            throw new IllegalArgumentException("a punctuation needs 0 < interval <= slowest, not " + interval + " and " + slowest);
        }
        this.context = context;
        this.interval = interval;
        this.slowest = slowest;
        this.work = work;
        this.endsWhenIdle = endsWhenIdle;
    }

    /** Runs {@code work} every {@code interval} from a {@link #demand()} until a run returns false. */
    public static IdlePunctuation whileDemanded(ProcessorContext<?, ?> context, Duration interval, Work work) {
        return new IdlePunctuation(context, interval, interval, true, work);
    }

    /**
     * Runs {@code work} every {@code interval} from now on, and twice as seldom (up to {@code slowest}) after each
     * run that returns false with no {@link #demand()} since the run before.
     */
    public static IdlePunctuation slowingWhenIdle(ProcessorContext<?, ?> context, Duration interval, Duration slowest, Work work) {
        IdlePunctuation p = new IdlePunctuation(context, interval, slowest, false, work);
        p.schedule(interval);
        return p;
    }

    /** The work runs within one interval from now: call it whenever there is something new for it. Cheap when it already is. */
    public void demand() {
        demanded = true;
        if (scheduled == null || current.compareTo(interval) > 0) {
            schedule(interval);
        }
    }

    /** How often the work runs now; null while it is not scheduled. */
    public Duration interval() {
        return scheduled == null ? null : current;
    }

    private void schedule(Duration every) {
        if (scheduled != null) {
            scheduled.cancel();
        }
        current = every;
        scheduled = context.schedule(every, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    private void punctuate(long nowMs) {
        boolean wasDemanded = demanded;
        demanded = false;
        boolean busy = work.run(nowMs);
        if (busy || demanded) {
            if (current.compareTo(interval) > 0) {
                schedule(interval);
            }
        } else if (endsWhenIdle) {
            // cancelled from inside its own punctuation: Kafka Streams does not schedule it again
            scheduled.cancel();
            scheduled = null;
        } else if (!wasDemanded && current.compareTo(slowest) < 0) {
            Duration slower = current.multipliedBy(2);
            schedule(slower.compareTo(slowest) > 0 ? slowest : slower);
        }
    }
}
