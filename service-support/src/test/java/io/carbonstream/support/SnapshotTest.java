package io.carbonstream.support;

import io.carbonstream.events.TransientFailure;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SnapshotTest {

    @Test
    void aRefreshThatStartedEarlierButFinishedLaterDoesNotOverwriteANewerOne() {
        Snapshot<String> s = new Snapshot<>("data centres");
        long periodic = s.begin();   // reads the database before a data centre is retired
        long afterChange = s.begin(); // reads it after the retirement committed
        s.replace(afterChange, "retired");
        s.replace(periodic, "stale");
        assertEquals("retired", s.await(Duration.ZERO));
        s.replace("newest");
        assertEquals("newest", s.await(Duration.ZERO));
    }

    @Test
    void readersWaitForTheFirstLoadAndThenFailAsTransient() {
        Snapshot<String> s = new Snapshot<>("the hardware catalog");
        TransientFailure e = assertThrows(TransientFailure.class, () -> s.await(Duration.ofMillis(10)));
        assertEquals("the hardware catalog not loaded within PT0.01S", e.getMessage());
    }
}
