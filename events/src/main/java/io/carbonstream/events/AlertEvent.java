package io.carbonstream.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One crossing of a carbon budget's threshold, on {@code carbon.alerts} (key: the job id for a job's budget, the
 * tenant for a tenant's monthly budget). Published exactly once per budget and threshold: the highest threshold
 * alerted is kept with the totals it was measured on, in the same transaction, so a redelivered or reordered
 * batch never raises it twice, and a total that dips and climbs again does not either.
 *
 * @param alertId          {@code scope|key|threshold} (with the month for a tenant): the same crossing always has the same id
 * @param scope            JOB (a job's declared budget) or TENANT_MONTH (a tenant's budget for a calendar month, UTC)
 * @param jobId            the job, for JOB
 * @param tenant           the tenant
 * @param month            {@code yyyy-MM}, for TENANT_MONTH
 * @param thresholdPercent 50, 80 or 100
 * @param basis            {@code running} (the footprint so far crossed it) or {@code projected} (its projection to
 *                         completion did, before the footprint itself)
 * @param budgetGCo2e      the budget
 * @param gCo2e            the running footprint (operational + embodied) when it was crossed
 * @param projectedGCo2e   the projection to completion then (JOB with a declared length), else null
 * @param at               when the totals that crossed it were updated
 */
public record AlertEvent(Integer schemaVersion, String alertId, Scope scope, String jobId, String tenant, String month,
                         int thresholdPercent, String basis, BigDecimal budgetGCo2e, BigDecimal gCo2e,
                         BigDecimal projectedGCo2e, Instant at) {

    public static final int SCHEMA_VERSION = 1;

    /** The thresholds, in percent of the budget, each alerted once. */
    public static final int[] THRESHOLDS = {50, 80, 100};

    public enum Scope { JOB, TENANT_MONTH }

    public static String id(Scope scope, String key, String month, int threshold) {
        return scope + "|" + key + (month == null ? "" : "|" + month) + "|" + threshold;
    }
}
