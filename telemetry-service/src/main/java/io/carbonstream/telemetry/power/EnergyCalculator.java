package io.carbonstream.telemetry.power;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.Energy;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.PowerSource;

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
        BigDecimal acceleratorWatts = BigDecimal.ZERO;
        if (batch.measuredPowerWatts() != null) {
            acceleratorWatts = BigDecimal.valueOf(batch.measuredPowerWatts());
            method = batch.powerSource() == PowerSource.DECLARED ? EnergyMethod.DECLARED : EnergyMethod.MEASURED;
        } else if (accelerator != null && batch.acceleratorCount() != null && batch.acceleratorCount() > 0) {
            acceleratorWatts = accelerator.wattsAt(u).multiply(BigDecimal.valueOf(batch.acceleratorCount()));
        }
        BigDecimal cpuWatts = BigDecimal.ZERO;
        if (batch.measuredCpuWatts() != null) {
            // measured (RAPL): what the worker's CPUs drew, whatever profile the job names
            cpuWatts = BigDecimal.valueOf(batch.measuredCpuWatts());
        } else if (cpu != null) {
            BigDecimal cores = BigDecimal.valueOf(batch.cpuCores());
            BigDecimal ucpu = batch.cpuSeconds() == null ? DEFAULT_CPU_UTILIZATION
                    : BigDecimal.valueOf(batch.cpuSeconds()).divide(cores.multiply(seconds), 6, RoundingMode.HALF_EVEN).min(BigDecimal.ONE);
            cpuWatts = cpu.wattsAt(ucpu).multiply(cores);
        }
        BigDecimal memoryWatts = memory == null ? BigDecimal.ZERO
                : memory.wattsAt(BigDecimal.ONE).multiply(BigDecimal.valueOf(batch.memoryGb()));
        BigDecimal hostWatts = host == null ? BigDecimal.ZERO
                : host.wattsAt(u).multiply(BigDecimal.valueOf(batch.hostNodes() == null ? 1.0 : batch.hostNodes()));

        Energy energy = new Energy(joules(acceleratorWatts, seconds), joules(cpuWatts, seconds),
                joules(memoryWatts, seconds), joules(hostWatts, seconds));
        double averageWatts = energy.total().divide(seconds, MathContext.DECIMAL64).doubleValue();
        if (idleNanos != 0) {
            energy = energy.withIdle(idleJoules(idleWatts(batch, catalog), idleNanos));
        }
        HardwareProfile model = accelerator != null ? accelerator : cpu;
        return new EnergyEvent(EnergyEvent.SCHEMA_VERSION, batch.eventId(), batch.jobId(), batch.tenant(),
                batch.workerId(), batch.step(), batch.phase(), batch.startedAt(), batch.endedAt(), batch.samples(),
                batch.tokens(), batch.flops(), batch.acceleratorType(), batch.acceleratorCount(), batch.datacenter(),
                energy, averageWatts, method,
                model == null ? null : model.id(), model == null ? null : model.version(),
                computedAt);
    }

    /**
     * What the worker of a batch draws while idle between batches: its accelerators, CPUs and node overhead at
     * utilisation 0, and its memory.
     *
     * @throws NoPowerModelException when one of these profiles has no power figures
     */
    public static BigDecimal idleWatts(BatchEvent batch, PowerCatalog catalog) {
        BigDecimal watts = BigDecimal.ZERO;
        HardwareProfile accelerator = profile(catalog, "acceleratorType", batch.acceleratorType());
        if (accelerator != null && batch.acceleratorCount() != null && batch.acceleratorCount() > 0) {
            watts = watts.add(accelerator.wattsAt(BigDecimal.ZERO).multiply(BigDecimal.valueOf(batch.acceleratorCount())));
        }
        HardwareProfile cpu = profile(catalog, "cpuType", batch.cpuType());
        if (cpu != null) {
            watts = watts.add(cpu.wattsAt(BigDecimal.ZERO).multiply(BigDecimal.valueOf(batch.cpuCores())));
        }
        if (batch.memoryGb() != null) {
            HardwareProfile memory = profile(catalog, "memoryType", batch.memoryType() == null ? DEFAULT_MEMORY_TYPE : batch.memoryType());
            watts = watts.add(memory.wattsAt(BigDecimal.ONE).multiply(BigDecimal.valueOf(batch.memoryGb())));
        }
        HardwareProfile host = profile(catalog, "hostType", batch.hostType());
        if (host != null) {
            watts = watts.add(host.wattsAt(BigDecimal.ZERO).multiply(BigDecimal.valueOf(batch.hostNodes() == null ? 1.0 : batch.hostNodes())));
        }
        return watts;
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
