package io.carbonstream.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * The IT energy of one batch: topic {@code telemetry.energy}, key = jobId. PUE is not applied here; it belongs
 * to the data centre and is applied by carbon-service. Energies are exact decimals in joules with microjoule
 * resolution ({@link Energy#SCALE}), so that totals add up exactly in any order.
 *
 * @param schemaVersion     {@link #SCHEMA_VERSION}
 * @param eventId           the batch's event id (idempotency key downstream)
 * @param jobId             the job, also the record's key
 * @param tenant            the job's tenant
 * @param workerId          the worker (rank) that ran the batch
 * @param step              the batch's step within its job and worker
 * @param phase             training, evaluation or another phase of the job
 * @param startedAt         when the batch started
 * @param endedAt           when the batch ended
 * @param samples           samples in the batch
 * @param tokens            tokens in the batch, where the trainer counts them
 * @param flops             floating-point operations of the batch, where the trainer counts them
 * @param acceleratorType   the hardware profile id of the worker's accelerators
 * @param acceleratorCount  accelerators of the worker
 * @param datacenter        the data centre the job runs in (its zone and PUE are carbon-service's)
 * @param energyJoules      the IT energy by component: accelerators, host CPUs, host memory, host overhead (fans,
 *                          disks, NICs, power supply losses) and the change to the worker's idle energy
 * @param averagePowerWatts total IT power averaged over the batch
 * @param method            MEASURED when the batch carried a power reading, DECLARED when it carried an average
 *                          declared for a replayed or planned run, MODELED otherwise (the hardware power model)
 * @param powerModelId      the hardware profile whose model was used
 * @param powerModelVersion the version of that profile
 * @param computedAt        when telemetry-service computed this event
 * @param energyBounds      the low and high ends of the IT energy (total, idle change included), from the readings'
 *                          accuracy or the power model's range (docs/methodology.md, "Uncertainty"); added in
 *                          schema version 2, absent from version 1
 */
public record EnergyEvent(
        Integer schemaVersion,
        UUID eventId,
        String jobId,
        String tenant,
        String workerId,
        Long step,
        Phase phase,
        Instant startedAt,
        Instant endedAt,
        Long samples,
        Long tokens,
        BigDecimal flops,
        String acceleratorType,
        Integer acceleratorCount,
        String datacenter,
        Energy energyJoules,
        Double averagePowerWatts,
        EnergyMethod method,
        String powerModelId,
        Integer powerModelVersion,
        Instant computedAt,
        Bounds energyBounds) {

    /** 2 added {@code energyBounds}. */
    public static final int SCHEMA_VERSION = 2;

    /** An energy event without bounds, as schema version 1 wrote them. */
    public EnergyEvent(Integer schemaVersion, UUID eventId, String jobId, String tenant, String workerId, Long step,
                       Phase phase, Instant startedAt, Instant endedAt, Long samples, Long tokens, BigDecimal flops,
                       String acceleratorType, Integer acceleratorCount, String datacenter, Energy energyJoules,
                       Double averagePowerWatts, EnergyMethod method, String powerModelId, Integer powerModelVersion,
                       Instant computedAt) {
        this(schemaVersion, eventId, jobId, tenant, workerId, step, phase, startedAt, endedAt, samples, tokens, flops,
                acceleratorType, acceleratorCount, datacenter, energyJoules, averagePowerWatts, method, powerModelId,
                powerModelVersion, computedAt, null);
    }
}
