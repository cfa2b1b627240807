package io.carbonstream.events;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules of the events other than batches ({@link BatchValidation}), applied by every reader of a topic before
 * it uses a record, and by every writer before it publishes one. Field names are the events' JSON names.
 */
public final class EventValidation {

    /** The states a job can be in on {@code training.jobs}. */
    public static final Set<String> JOB_STATES = Set.of("RUNNING", "FINISHED", "FAILED");
    /** What a value outside {@link #JOB_STATES} is told. */
    public static final String JOB_STATE_RULE = "must be one of RUNNING, FINISHED, FAILED";

    private EventValidation() {
    }

    /** An energy event of {@code telemetry.energy}: the batch's identity plus bounded, non-negative energy. */
    public static List<Violation> energy(EnergyEvent e) {
        List<Violation> v = new ArrayList<>();
        BatchValidation.schemaVersion(v, e.schemaVersion(), EnergyEvent.SCHEMA_VERSION);
        if (e.eventId() == null) {
            v.add(new Violation("eventId", "is required"));
        }
        BatchValidation.id(v, "jobId", e.jobId(), true);
        BatchValidation.id(v, "tenant", e.tenant(), true);
        BatchValidation.id(v, "workerId", e.workerId(), true);
        if (e.step() == null || e.step() < 0) {
            v.add(new Violation("step", "is required and must be >= 0"));
        }
        if (e.phase() == null) {
            v.add(new Violation("phase", "is required"));
        }
        BatchValidation.interval(v, e.startedAt(), e.endedAt());
        BatchValidation.count(v, "samples", e.samples(), true);
        BatchValidation.count(v, "tokens", e.tokens(), true);
        BatchValidation.flops(v, e.flops());
        if (e.acceleratorCount() != null && (e.acceleratorCount() < 0
                || e.acceleratorCount() > BatchValidation.MAX_ACCELERATORS_PER_WORKER)) {
            v.add(new Violation("acceleratorCount", "must be in 0.." + BatchValidation.MAX_ACCELERATORS_PER_WORKER));
        }
        BatchValidation.id(v, "acceleratorType", e.acceleratorType(), false);
        BatchValidation.id(v, "datacenter", e.datacenter(), true);
        Energy energy = e.energyJoules();
        if (energy == null) {
            v.add(new Violation("energyJoules", "is required"));
        } else {
            joules(v, "energyJoules.accelerator", energy.accelerator(), false);
            joules(v, "energyJoules.cpu", energy.cpu(), false);
            joules(v, "energyJoules.memory", energy.memory(), false);
            joules(v, "energyJoules.other", energy.other(), false);
            joules(v, "energyJoules.idle", energy.idle(), true);
        }
        if (e.energyBounds() != null) {
            // an idle change can be negative, and so can a bound of an event that carries one
            joules(v, "energyBounds.low", e.energyBounds().low(), true);
            joules(v, "energyBounds.high", e.energyBounds().high(), true);
        }
        if (e.averagePowerWatts() != null && !(e.averagePowerWatts() >= 0 && e.averagePowerWatts() <= Limits.MAX_AVERAGE_POWER_WATTS)) {
            v.add(new Violation("averagePowerWatts", "must be in 0..1e9"));
        }
        if (e.method() == null) {
            v.add(new Violation("method", "is required"));
        }
        BatchValidation.id(v, "powerModelId", e.powerModelId(), false);
        return v;
    }

    /** A grid intensity observation of {@code grid.intensity}. */
    public static List<Violation> intensity(GridIntensityEvent g) {
        List<Violation> v = new ArrayList<>();
        BatchValidation.schemaVersion(v, g.schemaVersion(), GridIntensityEvent.SCHEMA_VERSION);
        BatchValidation.id(v, "zone", g.zone(), true);
        boolean from = BatchValidation.instant(v, "validFrom", g.validFrom(), true);
        boolean to = BatchValidation.instant(v, "validTo", g.validTo(), false);
        if (from && to && !g.validTo().isAfter(g.validFrom())) {
            v.add(new Violation("validTo", "must be after validFrom"));
        }
        if (g.gCo2ePerKWh() == null) {
            v.add(new Violation("gCo2ePerKWh", "is required"));
        } else if (g.gCo2ePerKWh().signum() < 0 || g.gCo2ePerKWh().compareTo(Limits.MAX_GCO2E_PER_KWH) > 0) {
            v.add(new Violation("gCo2ePerKWh", "must be in 0.." + Limits.MAX_GCO2E_PER_KWH));
        } else if (g.gCo2ePerKWh().scale() > 9) {
            v.add(new Violation("gCo2ePerKWh", "has more than 9 decimal places"));
        }
        if (g.signal() == null) {
            v.add(new Violation("signal", "is required"));
        }
        if (g.source() == null) {
            v.add(new Violation("source", "is required"));
        }
        return v;
    }

    /**
     * A whole footprint of {@code carbon.footprint}, as its archive reads an ended job's: the rules of its head, and
     * the two totals every footprint carbon-service writes carries and the archive keeps in columns of their own.
     */
    public static List<Violation> footprint(FootprintEvent f) {
        List<Violation> v = footprint(new FootprintEvent.Head(f.schemaVersion(), f.jobId(), f.tenant(), f.model(),
                f.jobState(), f.batches(), f.flops(), f.updatedAt()));
        if (f.operationalGCo2e() == null) {
            v.add(new Violation("operationalGCo2e", "is required"));
        }
        if (f.embodiedGCo2e() == null) {
            v.add(new Violation("embodiedGCo2e", "is required"));
        }
        return v;
    }

    /** The same rules on the fields of a footprint they check. */
    public static List<Violation> footprint(FootprintEvent.Head f) {
        List<Violation> v = new ArrayList<>();
        BatchValidation.schemaVersion(v, f.schemaVersion(), FootprintEvent.SCHEMA_VERSION);
        BatchValidation.id(v, "jobId", f.jobId(), true);
        BatchValidation.id(v, "tenant", f.tenant(), true);
        BatchValidation.text(v, "model", f.model(), Limits.MAX_TEXT_LENGTH, false);
        BatchValidation.flops(v, f.flops());
        if (f.batches() < 0) {
            v.add(new Violation("batches", "must be >= 0"));
        }
        if (f.jobState() != null && !JOB_STATES.contains(f.jobState())) {
            v.add(new Violation("jobState", JOB_STATE_RULE));
        }
        BatchValidation.instant(v, "updatedAt", f.updatedAt(), false);
        return v;
    }

    /** A job description of {@code training.jobs}. */
    public static List<Violation> job(JobEvent j) {
        List<Violation> v = new ArrayList<>();
        BatchValidation.schemaVersion(v, j.schemaVersion(), JobEvent.SCHEMA_VERSION);
        BatchValidation.id(v, "jobId", j.jobId(), true);
        BatchValidation.id(v, "tenant", j.tenant(), true);
        BatchValidation.text(v, "name", j.name(), Limits.MAX_TEXT_LENGTH, false);
        BatchValidation.text(v, "model", j.model(), Limits.MAX_TEXT_LENGTH, false);
        BatchValidation.id(v, "acceleratorType", j.acceleratorType(), false);
        BatchValidation.id(v, "datacenter", j.datacenter(), false);
        if (j.state() == null || !JOB_STATES.contains(j.state())) {
            v.add(new Violation("state", JOB_STATE_RULE));
        }
        positive(v, "plannedSteps", j.plannedSteps());
        positive(v, "plannedTokens", j.plannedTokens());
        positive(v, "modelParameters", j.modelParameters());
        if (j.workers() != null && j.workers() < 1) {
            v.add(new Violation("workers", "must be >= 1"));
        }
        if (j.acceleratorsPerWorker() != null && (j.acceleratorsPerWorker() < 0
                || j.acceleratorsPerWorker() > BatchValidation.MAX_ACCELERATORS_PER_WORKER)) {
            v.add(new Violation("acceleratorsPerWorker", "must be in 0.." + BatchValidation.MAX_ACCELERATORS_PER_WORKER));
        }
        BatchValidation.instant(v, "startedAt", j.startedAt(), false);
        BatchValidation.instant(v, "finishedAt", j.finishedAt(), false);
        budget(v, "co2eBudgetGrams", j.co2eBudgetGrams());
        return v;
    }

    /** A tenant's monthly budget of {@code carbon.budgets} (no amount: the budget is removed). */
    public static List<Violation> budget(BudgetEvent b) {
        List<Violation> v = new ArrayList<>();
        BatchValidation.schemaVersion(v, b.schemaVersion(), BudgetEvent.SCHEMA_VERSION);
        BatchValidation.id(v, "tenant", b.tenant(), true);
        budget(v, "monthlyGCo2e", b.monthlyGCo2e());
        BatchValidation.text(v, "setBy", b.setBy(), Limits.MAX_TEXT_LENGTH, false);
        BatchValidation.instant(v, "setAt", b.setAt(), false);
        return v;
    }

    /** A carbon budget in g CO2e: absent, or more than 0 and at most {@link Limits#MAX_BUDGET_GRAMS}. */
    public static void budget(List<Violation> v, String field, java.math.BigDecimal grams) {
        if (grams == null) {
            return;
        }
        String bounds = Limits.decimalProblem(grams);
        if (bounds != null) {
            v.add(new Violation(field, bounds));
        } else if (grams.signum() <= 0 || grams.compareTo(Limits.MAX_BUDGET_GRAMS) > 0) {
            v.add(new Violation(field, "must be more than 0 and at most " + Limits.MAX_BUDGET_GRAMS.toPlainString() + " g CO2e"));
        }
    }

    /**
     * A record read by the contract: decoded, checked by {@code rules}, and keyed by its own {@code idField} (the
     * key is what places its state on a partition).
     *
     * @throws InvalidEventException naming the first field at fault
     */
    public static <T> T read(String key, byte[] value, Class<T> type, java.util.function.Function<T, List<Violation>> rules,
                             java.util.function.Function<T, String> id, String idField) {
        T event = EventJson.decode(value, type);
        require(rules.apply(event));
        requireKey(key, id.apply(event), idField);
        return event;
    }

    /** Throws the first violation of a list, for readers that dead-letter a record with one reason. */
    public static void require(List<Violation> violations) {
        if (!violations.isEmpty()) {
            Violation first = violations.get(0);
            String more = violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "";
            throw new InvalidEventException(first.field(), first.message() + more);
        }
    }

    /** The record's key must be the id it is partitioned by, or state would be kept on the wrong partition. */
    public static void requireKey(String key, String expected, String field) {
        if (key == null) {
            throw new InvalidEventException(null, "the record has no key; the key must be the " + field);
        }
        if (!key.equals(expected)) {
            throw new InvalidEventException(field, "the record's key is not its " + field);
        }
    }

    private static void joules(List<Violation> v, String field, BigDecimal joules, boolean signed) {
        if (joules == null) {
            v.add(new Violation(field, "is required"));
        } else if (joules.abs().compareTo(Limits.MAX_ENERGY_JOULES) > 0) {
            v.add(new Violation(field, "must be at most 1e15 J"));
        } else if (!signed && joules.signum() < 0) {
            v.add(new Violation(field, "must not be negative"));
        }
    }

    private static void positive(List<Violation> v, String field, Long value) {
        if (value != null && value <= 0) {
            v.add(new Violation(field, "must be > 0"));
        }
    }
}
