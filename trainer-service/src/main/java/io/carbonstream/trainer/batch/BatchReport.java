package io.carbonstream.trainer.batch;

import io.carbonstream.events.Phase;
import io.carbonstream.events.PowerSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One batch as a trainer reports it to {@code POST /jobs/{id}/batches}. The job supplies tenant, data centre,
 * accelerator type and the defaults noted here.
 *
 * @param eventId            optional; when absent it is derived from (job, worker, phase, step), so a retried
 *                           report keeps its identity
 * @param workerId           the worker (rank) that ran it (default {@code "0"})
 * @param step               the training step (required, >= 0)
 * @param phase              default: the job's phase
 * @param startedAt          required
 * @param endedAt            required, after startedAt
 * @param samples            required, >= 0
 * @param tokens             default 0
 * @param flops              optional
 * @param acceleratorCount   default: the job's accelerators per worker
 * @param utilization        optional, 0..1
 * @param measuredPowerWatts optional average accelerator power of the worker over the batch
 * @param powerSource        required with measuredPowerWatts
 * @param cpuSeconds         optional CPU time of the batch
 * @param measuredCpuWatts   optional average power of the worker's CPUs over the batch, measured (RAPL): priced
 *                           instead of carbonstream's CPU model
 * @param powerTolerance     optional relative accuracy of measuredPowerWatts in 0..1 (0.02 = +/- 2 %); the source's
 *                           default otherwise
 */
public record BatchReport(UUID eventId, String workerId, Long step, Phase phase, Instant startedAt, Instant endedAt,
                          Long samples, Long tokens, BigDecimal flops, Integer acceleratorCount, Double utilization,
                          Double measuredPowerWatts, PowerSource powerSource, Double cpuSeconds, Double measuredCpuWatts,
                          Double powerTolerance) {

    /** A report without a measured CPU power. */
    public BatchReport(UUID eventId, String workerId, Long step, Phase phase, Instant startedAt, Instant endedAt,
                       Long samples, Long tokens, BigDecimal flops, Integer acceleratorCount, Double utilization,
                       Double measuredPowerWatts, PowerSource powerSource, Double cpuSeconds) {
        this(eventId, workerId, step, phase, startedAt, endedAt, samples, tokens, flops, acceleratorCount, utilization,
                measuredPowerWatts, powerSource, cpuSeconds, null, null);
    }
}
