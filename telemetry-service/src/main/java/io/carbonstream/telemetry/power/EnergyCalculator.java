package io.carbonstream.telemetry.power;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.Energy;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EnergyMethod;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * The energy of one batch:
 * <pre>
 *   duration        = endedAt - startedAt                      (exact, in seconds)
 *   accelerator [J] = measuredPowerWatts x duration            when the batch carries a measurement (MEASURED,
 *                                                              or DECLARED for a declared average of a replayed run)
 *                   = count x P(utilization) x duration        otherwise (MODELED)
 *   P(u)            = idle + (max - idle) x u                  (per device; u = 1 when the batch gives none)
 *   cpu [J]         = cpuCores x Pcpu(ucpu) x duration          when the batch names its cpuType
 *   ucpu            = cpuSeconds / (cpuCores x duration)        capped at 1, to 6 decimals; 0.5 when not reported
 * </pre>
 * Each component is rounded half-even to the microjoule. Memory and host overhead are 0 in this model.
 */
public final class EnergyCalculator {

    /** Utilisation assumed when a batch reports none: full load, the conservative (upper) estimate. */
    public static final BigDecimal DEFAULT_UTILIZATION = BigDecimal.ONE;

    /**
     * CPU utilisation assumed when a batch reports no CPU time: 50 %, Cloud Carbon Footprint's
     * AVG_CPU_UTILIZATION_2020 (packages/aws/src/domain/AwsFootprintEstimationConstants.ts).
     */
    public static final BigDecimal DEFAULT_CPU_UTILIZATION = new BigDecimal("0.5");

    private EnergyCalculator() {
    }

    /**
     * @throws UnknownHardwareException when the batch's accelerator type is not in the catalog
     */
    public static EnergyEvent energyOf(BatchEvent batch, PowerCatalog catalog, Instant computedAt) {
        BigDecimal seconds = BigDecimal.valueOf(batch.durationNanos(), 9);
        HardwareProfile accelerator = batch.acceleratorCount() == 0 && batch.acceleratorType() == null ? null
                : catalog.find(batch.acceleratorType())
                .orElseThrow(() -> new UnknownHardwareException("acceleratorType", batch.acceleratorType()));

        BigDecimal acceleratorJoules;
        EnergyMethod method;
        if (batch.measuredPowerWatts() != null) {
            acceleratorJoules = BigDecimal.valueOf(batch.measuredPowerWatts()).multiply(seconds);
            method = batch.powerSource() == io.carbonstream.events.PowerSource.DECLARED ? EnergyMethod.DECLARED
                    : EnergyMethod.MEASURED;
        } else if (accelerator == null) {
            acceleratorJoules = BigDecimal.ZERO;
            method = EnergyMethod.MODELED;
        } else {
            BigDecimal u = batch.utilization() == null ? DEFAULT_UTILIZATION : BigDecimal.valueOf(batch.utilization());
            acceleratorJoules = accelerator.wattsAt(u).multiply(BigDecimal.valueOf(batch.acceleratorCount())).multiply(seconds);
            method = EnergyMethod.MODELED;
        }
        HardwareProfile cpu = batch.cpuType() == null ? null : catalog.find(batch.cpuType())
                .orElseThrow(() -> new UnknownHardwareException("cpuType", batch.cpuType()));
        BigDecimal cpuJoules = BigDecimal.ZERO;
        if (cpu != null) {
            BigDecimal cores = BigDecimal.valueOf(batch.cpuCores());
            BigDecimal u = batch.cpuSeconds() == null ? DEFAULT_CPU_UTILIZATION
                    : BigDecimal.valueOf(batch.cpuSeconds()).divide(cores.multiply(seconds), 6, RoundingMode.HALF_EVEN).min(BigDecimal.ONE);
            cpuJoules = cpu.wattsAt(u).multiply(cores).multiply(seconds);
        }
        HardwareProfile model = accelerator != null ? accelerator : cpu;
        Energy energy = new Energy(round(acceleratorJoules), round(cpuJoules), round(BigDecimal.ZERO), round(BigDecimal.ZERO));
        double averageWatts = energy.total().divide(seconds, MathContext.DECIMAL64).doubleValue();
        return new EnergyEvent(EnergyEvent.SCHEMA_VERSION, batch.eventId(), batch.jobId(), batch.tenant(),
                batch.workerId(), batch.step(), batch.phase(), batch.startedAt(), batch.endedAt(), batch.samples(),
                batch.tokens(), batch.flops(), batch.acceleratorType(), batch.acceleratorCount(), batch.datacenter(),
                energy, averageWatts, method,
                model == null ? null : model.id(), model == null ? null : model.version(),
                computedAt);
    }

    private static BigDecimal round(BigDecimal joules) {
        return joules.setScale(Energy.SCALE, RoundingMode.HALF_EVEN);
    }
}
