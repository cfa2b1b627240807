package io.carbonstream.telemetry.power;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.Bounds;
import io.carbonstream.events.Energy;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.PowerSource;
import io.carbonstream.events.Tolerances;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * The IT energy of one batch of one worker, by component:
 * <pre>
 *   duration        = endedAt - startedAt                          (exact, in seconds)
 *   accelerator [J] = measuredPowerWatts x duration                when the batch carries a measurement
 *                                                                  (MEASURED; DECLARED for a replayed run's average)
 *                   = acceleratorCount x P(u) x duration           otherwise (MODELED)
 *   P(u)            = the profile's power at u: the straight line idle + (max - idle) x u, or its fitted curve;
 *                     u = utilization, 1 when the batch gives none
 *   cpu [J]         = measuredCpuWatts x duration                   when the batch carries a measurement (RAPL)
 *                   = cpuCores x Pcpu(ucpu) x duration              else, when the batch names its cpuType
 *   ucpu            = min(1, cpuSeconds / (cpuCores x duration)), to 6 decimals; 0.5 when not reported
 *   memory [J]      = memoryGb x Pmem x duration                    when the batch gives memoryGb (profile dram by default)
 *   other [J]       = hostNodes x Phost(u) x duration               when the batch names its hostType (hostNodes 1 by default)
 * </pre>
 * Each component is rounded half-even to the microjoule. Hardware the catalog does not have, and power a profile
 * without figures would have to model, are errors, never zero.
 */
public final class EnergyCalculator {

    /** Utilisation assumed when a batch reports none: full load, the conservative (upper) estimate. */
    public static final BigDecimal DEFAULT_UTILIZATION = BigDecimal.ONE;

    /**
     * CPU utilisation assumed when a batch reports no CPU time: 50 %, Cloud Carbon Footprint's
     * AVG_CPU_UTILIZATION_2020 (packages/aws/src/domain/AwsFootprintEstimationConstants.ts).
     */
    public static final BigDecimal DEFAULT_CPU_UTILIZATION = new BigDecimal("0.5");

    /** Memory profile used when a batch gives memoryGb without memoryType. */
    public static final String DEFAULT_MEMORY_TYPE = "dram";

    private EnergyCalculator() {
    }

    /**
     * @throws UnknownHardwareException when the batch names hardware the catalog does not have
     * @throws NoPowerModelException     when it needs the power of a profile without figures (no reading)
     */
    public static EnergyEvent energyOf(BatchEvent batch, PowerCatalog catalog, Instant computedAt) {
        return energyOf(batch, catalog, computedAt, 0);
    }

    /**
     * The batch's energy with the change it makes to its worker's idle time between batches ({@link IdleGaps}):
     * {@code idleNanos} (possibly negative) at the worker's {@link #idleWatts}, exact. The average power is the
     * batch's own, without the idle change.
     *
     * @throws UnknownHardwareException when the batch names hardware the catalog does not have
     * @throws NoPowerModelException     when it needs the power of a profile without figures (no reading; idle time
     *                                   at a profile without figures)
     */
    public static EnergyEvent energyOf(BatchEvent batch, PowerCatalog catalog, Instant computedAt, long idleNanos) {
        BigDecimal seconds = BigDecimal.valueOf(batch.durationNanos(), 9);
        BigDecimal u = batch.utilization() == null ? DEFAULT_UTILIZATION : BigDecimal.valueOf(batch.utilization());
        HardwareProfile accelerator = profile(catalog, "acceleratorType", batch.acceleratorType());
        HardwareProfile cpu = profile(catalog, "cpuType", batch.cpuType());
        HardwareProfile memory = batch.memoryGb() == null ? null : profile(catalog, "memoryType",
                batch.memoryType() == null ? DEFAULT_MEMORY_TYPE : batch.memoryType());
        HardwareProfile host = profile(catalog, "hostType", batch.hostType());

        EnergyMethod method = EnergyMethod.MODELED;
        Watts acceleratorWatts = Watts.NONE;
        if (batch.measuredPowerWatts() != null) {
            BigDecimal tolerance = batch.powerTolerance() != null ? BigDecimal.valueOf(batch.powerTolerance())
                    : Tolerances.of(batch.powerSource());
            acceleratorWatts = Watts.read(BigDecimal.valueOf(batch.measuredPowerWatts()), tolerance);
            method = batch.powerSource() == PowerSource.DECLARED ? EnergyMethod.DECLARED : EnergyMethod.MEASURED;
        } else if (accelerator != null && batch.acceleratorCount() != null && batch.acceleratorCount() > 0) {
            acceleratorWatts = Watts.modeled(accelerator, u, batch.utilization() != null)
                    .times(BigDecimal.valueOf(batch.acceleratorCount()));
        }
        Watts cpuWatts = Watts.NONE;
        if (batch.measuredCpuWatts() != null) {
            // measured (RAPL): what the worker's CPUs drew, whatever profile the job names
            cpuWatts = Watts.read(BigDecimal.valueOf(batch.measuredCpuWatts()), Tolerances.of(PowerSource.RAPL));
        } else if (cpu != null) {
            BigDecimal cores = BigDecimal.valueOf(batch.cpuCores());
            BigDecimal ucpu = batch.cpuSeconds() == null ? DEFAULT_CPU_UTILIZATION
                    : BigDecimal.valueOf(batch.cpuSeconds()).divide(cores.multiply(seconds), 6, RoundingMode.HALF_EVEN).min(BigDecimal.ONE);
            cpuWatts = Watts.modeled(cpu, ucpu, batch.cpuSeconds() != null).times(cores);
        }
        Watts memoryWatts = memory == null ? Watts.NONE
                : Watts.modeled(memory, BigDecimal.ONE, true).times(BigDecimal.valueOf(batch.memoryGb()));
        Watts hostWatts = host == null ? Watts.NONE
                : Watts.modeled(host, u, batch.utilization() != null)
                .times(BigDecimal.valueOf(batch.hostNodes() == null ? 1.0 : batch.hostNodes()));

        Energy energy = new Energy(joules(acceleratorWatts.point(), seconds), joules(cpuWatts.point(), seconds),
                joules(memoryWatts.point(), seconds), joules(hostWatts.point(), seconds));
        BigDecimal low = joules(acceleratorWatts.low(), seconds).add(joules(cpuWatts.low(), seconds))
                .add(joules(memoryWatts.low(), seconds)).add(joules(hostWatts.low(), seconds));
        BigDecimal high = joules(acceleratorWatts.high(), seconds).add(joules(cpuWatts.high(), seconds))
                .add(joules(memoryWatts.high(), seconds)).add(joules(hostWatts.high(), seconds));
        double averageWatts = energy.total().divide(seconds, MathContext.DECIMAL64).doubleValue();
        if (idleNanos != 0) {
            Watts idle = idlePower(batch, catalog);
            energy = energy.withIdle(idleJoules(idle.point(), idleNanos));
            // the bounds of the change to the worker's idle energy: the same change at the low and at the high idle
            // power, so that they add up, like the idle energy, to the worker's idle time x each end
            low = low.add(idleJoules(idle.low(), idleNanos));
            high = high.add(idleJoules(idle.high(), idleNanos));
        }
        HardwareProfile model = accelerator != null ? accelerator : cpu;
        return new EnergyEvent(EnergyEvent.SCHEMA_VERSION, batch.eventId(), batch.jobId(), batch.tenant(),
                batch.workerId(), batch.step(), batch.phase(), batch.startedAt(), batch.endedAt(), batch.samples(),
                batch.tokens(), batch.flops(), batch.acceleratorType(), batch.acceleratorCount(), batch.datacenter(),
                energy, averageWatts, method,
                model == null ? null : model.id(), model == null ? null : model.version(),
                computedAt, new Bounds(low, high));
    }

    /**
     * What the worker of a batch draws while idle between batches: its accelerators, CPUs and node overhead at
     * utilisation 0, and its memory.
     *
     * @throws NoPowerModelException when one of these profiles has no power figures
     */
    public static BigDecimal idleWatts(BatchEvent batch, PowerCatalog catalog) {
        return idlePower(batch, catalog).point();
    }

    /** {@link #idleWatts} with its low and high ends: each profile's idle power within the model's tolerance. */
    static Watts idlePower(BatchEvent batch, PowerCatalog catalog) {
        Watts watts = Watts.NONE;
        HardwareProfile accelerator = profile(catalog, "acceleratorType", batch.acceleratorType());
        if (accelerator != null && batch.acceleratorCount() != null && batch.acceleratorCount() > 0) {
            watts = watts.plus(Watts.modeled(accelerator, BigDecimal.ZERO, true).times(BigDecimal.valueOf(batch.acceleratorCount())));
        }
        HardwareProfile cpu = profile(catalog, "cpuType", batch.cpuType());
        if (cpu != null) {
            watts = watts.plus(Watts.modeled(cpu, BigDecimal.ZERO, true).times(BigDecimal.valueOf(batch.cpuCores())));
        }
        if (batch.memoryGb() != null) {
            HardwareProfile memory = profile(catalog, "memoryType", batch.memoryType() == null ? DEFAULT_MEMORY_TYPE : batch.memoryType());
            watts = watts.plus(Watts.modeled(memory, BigDecimal.ONE, true).times(BigDecimal.valueOf(batch.memoryGb())));
        }
        HardwareProfile host = profile(catalog, "hostType", batch.hostType());
        if (host != null) {
            watts = watts.plus(Watts.modeled(host, BigDecimal.ZERO, true)
                    .times(BigDecimal.valueOf(batch.hostNodes() == null ? 1.0 : batch.hostNodes())));
        }
        return watts;
    }

    /**
     * A power with its low and high ends.
     *
     * @param point the power charged
     * @param low   the lowest power the inputs allow
     * @param high  the highest
     */
    record Watts(BigDecimal point, BigDecimal low, BigDecimal high) {

        static final Watts NONE = new Watts(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

        /** A reading with a relative tolerance. */
        static Watts read(BigDecimal watts, BigDecimal tolerance) {
            Bounds b = Bounds.relative(watts, tolerance);
            return new Watts(watts, b.low().max(BigDecimal.ZERO), b.high());
        }

        /**
         * The profile's power at {@code u}. At a reported utilisation its range is the profile's tolerance (a
         * calibrated profile's own, else {@link Tolerances#MODEL}), kept inside the profile's idle..max; at an unknown utilisation (u = 1 is charged)
         * it is the whole idle..max range.
         */
        static Watts modeled(HardwareProfile profile, BigDecimal u, boolean reported) {
            BigDecimal watts = profile.wattsAt(u);
            BigDecimal idle = profile.wattsAt(BigDecimal.ZERO);
            BigDecimal max = profile.wattsAt(BigDecimal.ONE);
            Bounds b = Bounds.relative(watts, profile.modelTolerance());
            if (idle.compareTo(max) == 0) {
                // a constant (memory per GB, a node's overhead): utilisation does not matter, the figure's own does
                return new Watts(watts, b.low(), b.high());
            }
            if (!reported) {
                return new Watts(watts, idle, max);
            }
            // a device draws at least its idle power while it works, and its average stays under its power limit
            BigDecimal floor = u.signum() > 0 ? idle : BigDecimal.ZERO;
            return new Watts(watts, b.low().max(floor).min(watts), b.high().min(max).max(watts));
        }

        Watts times(BigDecimal factor) {
            return new Watts(point.multiply(factor), low.multiply(factor), high.multiply(factor));
        }

        Watts plus(Watts o) {
            return new Watts(point.add(o.point), low.add(o.low), high.add(o.high));
        }
    }

    /** Joules of {@code nanos} (possibly negative) at {@code watts}, exactly: deltas must add up in any order. */
    public static BigDecimal idleJoules(BigDecimal watts, long nanos) {
        return watts.multiply(BigDecimal.valueOf(nanos, 9));
    }

    private static HardwareProfile profile(PowerCatalog catalog, String field, String id) {
        if (id == null) {
            return null;
        }
        return catalog.find(id).orElseThrow(() -> new UnknownHardwareException(field, id));
    }

    private static BigDecimal joules(BigDecimal watts, BigDecimal seconds) {
        return watts.multiply(seconds).setScale(Energy.SCALE, RoundingMode.HALF_EVEN);
    }
}
