package io.carbonstream.streams;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdlePunctuationTest {

    private final MockProcessorContext<String, String> context = new MockProcessorContext<>();

    /** The punctuations not cancelled, in the order they were scheduled. */
    private List<MockProcessorContext.CapturedPunctuator> live() {
        List<MockProcessorContext.CapturedPunctuator> live = new ArrayList<>();
        for (var p : context.scheduledPunctuators()) {
            if (!p.cancelled()) {
                live.add(p);
            }
        }
        return live;
    }

    /** Fires the one live punctuation, as Kafka Streams does when its interval has passed. */
    private void fire(long nowMs) {
        List<MockProcessorContext.CapturedPunctuator> live = live();
        assertEquals(1, live.size(), "one live punctuation");
        live.get(0).getPunctuator().punctuate(nowMs);
    }

    @Test
    void aDemandedPunctuationRunsOnlyFromADemandUntilARunLeavesNothing() {
        List<Long> runs = new ArrayList<>();
        AtomicBoolean leavesSome = new AtomicBoolean(true);
        var flush = IdlePunctuation.whileDemanded(context, Duration.ofMillis(100), now -> {
            runs.add(now);
            return leavesSome.get();
        });
        assertTrue(live().isEmpty(), "nothing is scheduled before a demand");
        assertNull(flush.interval());

        flush.demand();
        flush.demand();
        assertEquals(1, live().size(), "demands while scheduled schedule nothing more");
        assertEquals(Duration.ofMillis(100), live().get(0).getInterval());
        assertEquals(PunctuationType.WALL_CLOCK_TIME, live().get(0).getType());

        fire(100); // left something: it stays
        assertEquals(1, live().size());
        leavesSome.set(false);
        fire(200); // left nothing: it ends, so an idle task is not punctuated (nor committed) for it
        assertTrue(live().isEmpty());
        assertNull(flush.interval());
        assertEquals(List.of(100L, 200L), runs);

        flush.demand(); // a new write: scheduled again
        assertEquals(1, live().size());
        assertEquals(Duration.ofMillis(100), flush.interval());
        assertEquals(2, context.scheduledPunctuators().size(), "the first schedule, cancelled, and the new one");
    }

    @Test
    void aSweepSlowsDownByHalvesWhileIdleAndComesBackOnARecordOrOnWork() {
        AtomicBoolean busy = new AtomicBoolean(false);
        var sweep = IdlePunctuation.slowingWhenIdle(context, Duration.ofSeconds(1), Duration.ofSeconds(8), now -> busy.get());
        assertEquals(Duration.ofSeconds(1), sweep.interval(), "scheduled from the start, at the interval");

        List<Duration> intervals = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fire(i);
            intervals.add(live().get(0).getInterval());
        }
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(8),
                Duration.ofSeconds(8)), intervals, "idle runs double the interval up to the slowest");

        sweep.demand(); // a record
        assertEquals(Duration.ofSeconds(1), live().get(0).getInterval());
        assertEquals(1, live().size(), "the slow schedule was cancelled");
        fire(10); // idle, but a record came since the last run: it does not slow down yet
        assertEquals(Duration.ofSeconds(1), sweep.interval());
        fire(11);
        assertEquals(Duration.ofSeconds(2), sweep.interval());

        busy.set(true); // it found something to delete: back to the interval
        fire(13);
        assertEquals(Duration.ofSeconds(1), sweep.interval());
        fire(14);
        assertEquals(Duration.ofSeconds(1), sweep.interval(), "busy runs keep the interval");
        assertEquals(1, live().size());
    }

    @Test
    void aSweepWhoseSlowestIsItsIntervalKeepsRunningWhileIdle() {
        List<Long> runs = new ArrayList<>();
        var sweep = IdlePunctuation.slowingWhenIdle(context, Duration.ofSeconds(1), Duration.ofSeconds(1), now -> {
            runs.add(now);
            return false;
        });
        fire(1);
        fire(2);
        assertEquals(List.of(1L, 2L), runs, "idle runs neither end it nor slow it down");
        assertEquals(Duration.ofSeconds(1), sweep.interval());
    }

    @Test
    void anIntervalMustBePositiveAndNoSlowerThanTheSlowest() {
        assertThrows(IllegalArgumentException.class, () -> IdlePunctuation.whileDemanded(context, Duration.ZERO, now -> false));
        assertThrows(IllegalArgumentException.class,
                () -> IdlePunctuation.slowingWhenIdle(context, Duration.ofSeconds(2), Duration.ofSeconds(1), now -> false));
        assertFalse(context.scheduledPunctuators().stream().anyMatch(p -> !p.cancelled()));
    }
}
