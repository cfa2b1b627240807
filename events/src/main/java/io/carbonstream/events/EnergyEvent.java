package io.carbonstream.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * The IT energy of one batch: topic {@code telemetry.energy}, key = jobId. PUE is not applied here; it belongs
 * to the data centre and is applied by carbon-service. Energies are exact decimals in joules with microjoule
 * resolution ({@link Energy#SCALE}), so that totals add up exactly in any order.
 *
 * @param eventId           the batch's event id (idempotency key downstream)
 * @param accelerator       energy of the accelerators
 * @param cpu               energy of the host CPUs
 * @param memory            energy of host memory
 * @param other             host overhead (fans, disks, NICs, power supply losses)
 * @param averagePowerWatts total IT power averaged over the batch
 * @param method            MEASURED when the batch carried a power reading, MODELED otherwise
 * @param powerModelId      the hardware profile whose model was used
 * @param powerModelVersion the version of that profile
 * @param computedAt        when telemetry-service computed this event
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
        Instant computedAt) {

    public static final int SCHEMA_VERSION = 1;
}
