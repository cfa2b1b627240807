package io.carbonstream.trainer.job;

/**
 * Lifecycle of a training job. Batches are accepted only while it is RUNNING. The names are those of the event
 * contract ({@link io.carbonstream.events.EventValidation#JOB_STATES}; JobStateTest holds them equal).
 */
public enum JobState {
    RUNNING,
    FINISHED,
    FAILED
}
