package io.carbonstream.carbon.accounting;

import io.carbonstream.carbon.accounting.FootprintAccumulator.ChargedBatch;
import io.carbonstream.events.AlertEvent;
import io.carbonstream.events.Bounds;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.FootprintEvent.AppliedIntensity;
import io.carbonstream.events.InvalidEventException;
import io.carbonstream.events.JobEvent;
import io.carbonstream.events.RollupEvent;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Everything one counted batch changes, worked out by one pure function ({@link #of}) before anything is written:
 * the job's next footprint (with its budget), the budget alerts it raises, and the change it adds to the job's
 * timeline bucket and to each of its roll-ups. A batch the rules refuse throws, and so leaves no trace: a
 * dead-lettered batch is in none of the totals, never in some.
 *
 * @param footprint   the job's running footprint with this batch
 * @param alerts      the job budget's thresholds this batch crosses, each once
 * @param change      what the batch added (footprint after minus before), for the timeline and the roll-ups
 * @param minute      the timeline bucket the batch goes to: the minute of its midpoint
 * @param rollupKeys  the roll-ups the batch counts in: its tenant, its model, both, its tenant's month (UTC) by its
 *                    midpoint, and its job's part of that month
 */
public record BatchCharge(FootprintEvent footprint, List<AlertEvent> alerts, Rollups.Delta change, Instant minute,
                          List<String> rollupKeys) {

    /** When a batch counts: its midpoint, for the PUE, the grid intensity, the timeline and the month. */
    public static Instant midpoint(EnergyEvent e) {
        return e.startedAt().plus(Duration.between(e.startedAt(), e.endedAt()).dividedBy(2));
    }

    /**
     * @param e                      the batch's energy
     * @param applied                the data centre's PUE and the grid intensity at the batch's midpoint
     * @param embodiedGramsPerDevice the manufacturing footprint of one of its accelerators
     * @param previous               the job's footprint so far (with its budget), null for its first batch
     * @param job                    the job's latest description, null when none has been seen yet
     * @param lifetimeSeconds        the life over which accelerators' manufacturing footprint is amortised
     * @throws InvalidEventException when the batch would take the job's idle energy below zero
     */
    public static BatchCharge of(EnergyEvent e, AppliedIntensity applied, BigDecimal embodiedGramsPerDevice,
                                 FootprintEvent previous, JobEvent job, long lifetimeSeconds, Instant now) {
        return of(e, applied, embodiedGramsPerDevice, Bounds.exactly(embodiedGramsPerDevice), previous, job,
                lifetimeSeconds, now);
    }

    /**
     * {@link #of} with the range of the accelerators' manufacturing footprint ({@code embodiedRange}, grams per
     * device), for the bounds.
     */
    public static BatchCharge of(EnergyEvent e, AppliedIntensity applied, BigDecimal embodiedGramsPerDevice,
                                 Bounds embodiedRange, FootprintEvent previous, JobEvent job, long lifetimeSeconds,
                                 Instant now) {
        ChargedBatch charged = ChargedBatch.of(e, applied, embodiedGramsPerDevice, embodiedRange);
        FootprintEvent next = FootprintAccumulator.add(previous, charged, job, lifetimeSeconds, now);
        if (next.itEnergyJoules().idle().signum() < 0) {
            // telemetry-service's idle adjustments never take a job's idle energy below zero at any point of its
            // stream; an event that would is not one of them
            throw new InvalidEventException("energyJoules.idle", "would make the job's idle energy negative");
        }
        BudgetAlerts.Raised raised = BudgetAlerts.job(next);
        Rollups.Delta change = Rollups.Delta.between(previous, raised.footprint());
        Instant at = midpoint(e);
        return new BatchCharge(raised.footprint(), raised.alerts(), change, at.truncatedTo(ChronoUnit.MINUTES),
                rollupKeys(e.tenant(), e.jobId(), model(raised.footprint()), at));
    }

    /** The model a footprint counts under in the roll-ups: its job's, or {@link Rollups#UNKNOWN_MODEL}. */
    public static String model(FootprintEvent f) {
        return f.model() == null ? Rollups.UNKNOWN_MODEL : f.model();
    }

    private static List<String> rollupKeys(String tenant, String jobId, String model, Instant at) {
        String month = YearMonth.from(at.atOffset(ZoneOffset.UTC)).toString();
        return List.of(
                RollupEvent.key(RollupEvent.Kind.TENANT_MONTH_JOB, tenant, month + " " + jobId),
                RollupEvent.key(RollupEvent.Kind.TENANT, tenant, tenant),
                RollupEvent.key(RollupEvent.Kind.MODEL, null, model),
                RollupEvent.key(RollupEvent.Kind.TENANT_MODEL, tenant, model),
                RollupEvent.key(RollupEvent.Kind.TENANT_MONTH, tenant, month));
    }
}
