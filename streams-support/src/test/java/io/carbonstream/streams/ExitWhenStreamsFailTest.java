package io.carbonstream.streams;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExitWhenStreamsFailTest {

    final List<Integer> exits = new ArrayList<>();

    ExitWhenStreamsFail listener(boolean enabled) {
        var l = new ExitWhenStreamsFail();
        l.enabled = enabled;
        l.exit = exits::add;
        return l;
    }

    @Test
    void aClientThatFailedExitsAskingForARestart() {
        listener(true).onChange(State.ERROR, State.PENDING_ERROR);
        assertEquals(List.of(75), exits);
    }

    @Test
    void everyOtherStateKeepsTheProcessIncludingAStopOnTheWayDown() {
        var l = listener(true);
        for (State s : State.values()) {
            if (s != State.ERROR) {
                l.onChange(s, State.RUNNING);
            }
        }
        assertEquals(List.of(), exits, "a graceful stop (PENDING_SHUTDOWN, NOT_RUNNING) is not a failure");
        l.onChange(State.PENDING_ERROR, State.RUNNING);
        assertEquals(List.of(), exits, "PENDING_ERROR is on its way to ERROR: the exit waits for the client to close");
    }

    @Test
    void switchedOffTheFailedProcessStays() {
        listener(false).onChange(State.ERROR, State.PENDING_ERROR);
        assertEquals(List.of(), exits);
    }
}
