package io.carbonstream.trainer.job;

import io.carbonstream.events.EventValidation;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The job states trainer-service stores and publishes are exactly the ones its consumers accept on training.jobs. */
class JobStateTest {

    @Test
    void theStatesAreThoseOfTheEventContract() {
        Set<String> states = Arrays.stream(JobState.values()).map(Enum::name).collect(Collectors.toSet());
        assertEquals(EventValidation.JOB_STATES, states);
    }
}
