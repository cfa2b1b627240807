package io.carbonstream.carbon.query;

import java.time.Instant;

/** carbon-service's state stores and the codecs of their keys: what the topology writes and the queries read. */
public final class StoreNames {

    /** Grid intensity observations per zone (a global store: every instance holds all of it). */
    public static final String INTENSITY_STORE = "intensity-timeline";
    /** The event ids counted per job. */
    public static final String SEEN_STORE = "seen-batches";
    /** Each job's running footprint; key = job id. */
    public static final String FOOTPRINT_STORE = "footprints";
    /** Each job's description; key = job id. */
    public static final String JOB_STORE = "jobs";
    /** Roll-ups; key = {@code RollupEvent.key()}, partitioned by it (not by job). */
    public static final String ROLLUP_STORE = "rollups";
    /** Per job and minute, what the batches of that minute added: keys {@link #timelineKey}. */
    public static final String TIMELINE_STORE = "timeline";
    /** Roll-up deltas of counted batches not yet sent to the roll-up owners, summed per roll-up key. */
    public static final String PENDING_ROLLUPS_STORE = "pending-rollups";
    /**
     * The jobs whose footprint changed since it was last published, when footprints are coalesced
     * ({@code carbonstream.footprint.coalesce}); key = job id, value = when the first unpublished change was counted.
     */
    public static final String UNPUBLISHED_FOOTPRINTS_STORE = "unpublished-footprints";

    /** Tenants' monthly carbon budgets ({@code BudgetEvent}; a global store); key = tenant. */
    public static final String BUDGET_STORE = "tenant-budgets";
    /** Per TENANT_MONTH roll-up key, the highest budget threshold already alerted (50, 80, 100). */
    public static final String BUDGET_ALERTED_STORE = "budget-alerted";

    /** Separates job and minute in timeline keys; ids are printable ASCII, so it never occurs in them. */
    private static final String SEPARATOR = "\u0000";

    private StoreNames() {
    }

    public static String timelineKey(String jobId, Instant minute) {
        return jobId + SEPARATOR + io.carbonstream.streams.SortableKeys.zeroPadded(minute.getEpochSecond());
    }

    /** The first and last possible timeline keys of a job, for a range query over all its minutes. */
    public static String timelineFirst(String jobId) {
        return timelineKey(jobId, Instant.EPOCH);
    }

    public static String timelineLast(String jobId) {
        return timelineKey(jobId, Instant.ofEpochSecond(99_999_999_999L));
    }
}
