package io.carbonstream.events;

import java.time.Instant;

/**
 * A training job as registered, and each change of its state: topic {@code training.jobs}, key = jobId. The latest
 * record of a job is its current description (trainer-service republishes every job when it starts, so the topic
 * heals after a failed send).
 *
 * @param plannedSteps  declared length in steps, when known
 * @param plannedTokens declared length in tokens, when known
 * @param state         RUNNING, FINISHED or FAILED
 */
public record JobEvent(
        Integer schemaVersion,
        String jobId,
        String tenant,
        String name,
        String model,
        Long modelParameters,
        Phase phase,
        String acceleratorType,
        Integer acceleratorsPerWorker,
        Integer workers,
        String datacenter,
        Long plannedSteps,
        Long plannedTokens,
        String state,
        Instant startedAt,
        Instant finishedAt,
        java.math.BigDecimal co2eBudgetGrams) {

    public static final int SCHEMA_VERSION = 1;

    /** A job without a carbon budget. */
    public JobEvent(Integer schemaVersion, String jobId, String tenant, String name, String model, Long modelParameters,
                    Phase phase, String acceleratorType, Integer acceleratorsPerWorker, Integer workers, String datacenter,
                    Long plannedSteps, Long plannedTokens, String state, Instant startedAt, Instant finishedAt) {
        this(schemaVersion, jobId, tenant, name, model, modelParameters, phase, acceleratorType, acceleratorsPerWorker,
                workers, datacenter, plannedSteps, plannedTokens, state, startedAt, finishedAt, null);
    }
}
