package io.carbonstream.trainer.job;

/** Lifecycle of a training job. Batches are accepted only while it is RUNNING. */
public enum JobState {
    RUNNING,
    FINISHED,
    FAILED
}
