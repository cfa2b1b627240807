package io.carbonstream.events;

/** Kafka topic names of the carbonstream event contract. */
public final class Topics {
    /** {@link JobEvent}, key = jobId: each job's description and state. */
    public static final String TRAINING_JOBS = "training.jobs";
    /** {@link BatchEvent}, key = jobId. */
    public static final String TRAINING_BATCHES = "training.batches";
    /** {@link EnergyEvent}, key = jobId. */
    public static final String TELEMETRY_ENERGY = "telemetry.energy";
    /** {@link GridIntensityEvent}, key = zone. */
    public static final String GRID_INTENSITY = "grid.intensity";
    /** {@link FootprintEvent}, key = jobId. */
    public static final String CARBON_FOOTPRINT = "carbon.footprint";

    /**
     * Header of every {@link #CARBON_FOOTPRINT} record carbon-service writes: the job's state in that record (RUNNING,
     * FINISHED, FAILED; empty while no record of the job was seen), so that a consumer that wants only ended jobs
     * (the archive) can pass running jobs' updates by without reading them.
     */
    public static final String JOB_STATE_HEADER = "carbonstream-job-state";

    /** {@link RollupEvent}, key = kind|name: totals per tenant and per model. */
    public static final String CARBON_ROLLUPS = "carbon.rollups";

    /** {@link AlertEvent}, key = jobId or tenant: one record per carbon-budget threshold crossed. */
    public static final String CARBON_ALERTS = "carbon.alerts";

    /** {@link BudgetEvent}, key = tenant, compacted: each tenant's monthly carbon budget. */
    public static final String CARBON_BUDGETS = "carbon.budgets";

    /** Suffix of the dead-letter topic of an input topic; its records are {@link DeadLetter}s. */
    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    public static String deadLetterOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }

    /** Every topic of the contract, dead-letter topics included, in the order data flows. */
    public static final java.util.List<String> ALL = java.util.List.of(
            TRAINING_JOBS, deadLetterOf(TRAINING_JOBS), TRAINING_BATCHES, deadLetterOf(TRAINING_BATCHES),
            TELEMETRY_ENERGY, deadLetterOf(TELEMETRY_ENERGY),
            GRID_INTENSITY, deadLetterOf(GRID_INTENSITY),
            CARBON_FOOTPRINT, deadLetterOf(CARBON_FOOTPRINT), CARBON_ROLLUPS, CARBON_BUDGETS, CARBON_ALERTS);

    private Topics() {
    }
}
