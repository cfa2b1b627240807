package io.carbonstream.carbon.accounting;

import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.RollupEvent;

import java.math.BigDecimal;
import java.time.Instant;

/** Adds the change one counted batch made to a job's footprint to a tenant's or a model's totals. */
public final class Rollups {

    /** The model roll-up name of jobs whose description has not been seen. */
    public static final String UNKNOWN_MODEL = "unknown";

    private Rollups() {
    }

    /**
     * What counted batches added: the difference between a job's footprint after and before one batch, or the exact
     * sum of several such differences. {@code newJobs} counts the jobs whose first batch is in it; a delta written
     * before that field existed has 0 there and says it with {@code newJob}.
     */
    public record Delta(boolean newJob, long batches, long tokens, BigDecimal itEnergyJoules,
                        BigDecimal facilityEnergyJoules, BigDecimal carbonIntegral, BigDecimal embodiedIntegral,
                        long newJobs, Spread spread) {

        /** A delta written before bounds existed carries none: its figures count as exact. */
        public Delta {
            spread = spread != null ? spread : Spread.exactly(itEnergyJoules, facilityEnergyJoules, carbonIntegral, embodiedIntegral);
        }

        public Delta(boolean newJob, long batches, long tokens, BigDecimal itEnergyJoules, BigDecimal facilityEnergyJoules,
                     BigDecimal carbonIntegral, BigDecimal embodiedIntegral, long newJobs) {
            this(newJob, batches, tokens, itEnergyJoules, facilityEnergyJoules, carbonIntegral, embodiedIntegral, newJobs, null);
        }

        public static Delta between(FootprintEvent before, FootprintEvent after) {
            if (before == null) {
                return new Delta(true, after.batches(), after.tokens(), after.itEnergyJoules().total(),
                        after.facilityEnergyJoules(), after.carbonIntegral(), after.embodiedIntegral(), 1, Spread.of(after));
            }
            return new Delta(false, after.batches() - before.batches(), after.tokens() - before.tokens(),
                    after.itEnergyJoules().total().subtract(before.itEnergyJoules().total()),
                    after.facilityEnergyJoules().subtract(before.facilityEnergyJoules()),
                    after.carbonIntegral().subtract(before.carbonIntegral()),
                    after.embodiedIntegral().subtract(before.embodiedIntegral()), 0,
                    Spread.of(after).minus(Spread.of(before)));
        }

        /** The jobs this delta starts. */
        public long jobsAdded() {
            return newJobs > 0 ? newJobs : (newJob ? 1 : 0);
        }

        /** Both deltas together, exactly. */
        public Delta plus(Delta o) {
            return new Delta(newJob || o.newJob, batches + o.batches, tokens + o.tokens, itEnergyJoules.add(o.itEnergyJoules),
                    facilityEnergyJoules.add(o.facilityEnergyJoules), carbonIntegral.add(o.carbonIntegral),
                    embodiedIntegral.add(o.embodiedIntegral), jobsAdded() + o.jobsAdded(), spread.plus(o.spread));
        }
    }

    public static RollupEvent add(RollupEvent previous, RollupEvent.Kind kind, String tenant, String name, Delta d,
                                  long lifetimeSeconds, Instant now) {
        long jobs = (previous == null ? 0 : previous.jobs()) + d.jobsAdded();
        long batches = (previous == null ? 0 : previous.batches()) + d.batches();
        long tokens = (previous == null ? 0 : previous.tokens()) + d.tokens();
        BigDecimal it = previous == null ? d.itEnergyJoules() : previous.itEnergyJoules().add(d.itEnergyJoules());
        BigDecimal facility = previous == null ? d.facilityEnergyJoules() : previous.facilityEnergyJoules().add(d.facilityEnergyJoules());
        BigDecimal integral = previous == null ? d.carbonIntegral() : previous.carbonIntegral().add(d.carbonIntegral());
        BigDecimal embodied = previous == null ? d.embodiedIntegral() : previous.embodiedIntegral().add(d.embodiedIntegral());
        Spread spread = previous == null ? d.spread() : Spread.of(previous).plus(d.spread());
        return new RollupEvent(RollupEvent.SCHEMA_VERSION, kind, name, jobs, batches, tokens, it, facility,
                Carbon.grams(integral), integral, Carbon.embodiedGrams(embodied, lifetimeSeconds), embodied, now, tenant,
                spread.uncertainty(lifetimeSeconds), spread.quality(facility, integral), spread.scope2(Carbon.grams(integral)));
    }
}
