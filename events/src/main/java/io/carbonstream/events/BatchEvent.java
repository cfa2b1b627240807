package io.carbonstream.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One finished batch (or reporting window) of one worker of a training job: topic {@code training.batches},
 * key = jobId. Fields are boxed so that a missing field can be named when the event is validated
 * ({@link BatchValidation}); a valid event has every field that is not marked optional.
 *
 * @param schemaVersion      {@link #SCHEMA_VERSION}
 * @param eventId            identity of the batch: the same batch always carries the same id, however often it is sent
 * @param jobId              the training job
 * @param tenant             the tenant (team) that owns the job
 * @param workerId           the worker (rank) that ran the batch
 * @param step               the training step, from 0
 * @param phase              the job phase
 * @param startedAt          when the batch started
 * @param endedAt            when the batch ended, after {@code startedAt}
 * @param samples            samples processed
 * @param tokens             tokens processed (0 where the model has no tokens)
 * @param flops              floating-point operations of the batch (optional)
 * @param acceleratorType    hardware profile id of the accelerators, such as {@code nvidia-a100-sxm4-40gb}
 * @param acceleratorCount   accelerators the worker used for the batch
 * @param utilization        average accelerator utilisation in 0..1 (optional; the model assumes 1 when absent)
 * @param measuredPowerWatts average power of the worker's accelerators over the batch, measured (optional)
 * @param powerSource        where {@code measuredPowerWatts} came from (required with it)
 * @param cpuSeconds         CPU time the worker used for the batch (optional)
 * @param cpuType            hardware profile id of the worker's CPUs, such as {@code intel-cascade-lake} (optional)
 * @param cpuCores           vCPUs allotted to the worker (required with cpuType)
 * @param memoryGb           host memory of the worker in GB (optional)
 * @param memoryType         hardware profile id of that memory (optional; {@code dram} when memoryGb is given)
 * @param hostType           hardware profile id of the node's remaining overhead: fans, disks, NICs, PSU (optional)
 * @param hostNodes          share of nodes the worker accounts for, e.g. 0.125 for one rank of an 8-GPU node
 *                           (optional; 1 when hostType is given)
 * @param datacenter         the data centre id, which gives the grid zone and PUE
 * @param measuredCpuWatts   average power of the worker's CPUs over the batch, measured (optional; RAPL): priced
 *                           instead of the CPU model when present
 */
public record BatchEvent(
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
        Double utilization,
        Double measuredPowerWatts,
        PowerSource powerSource,
        Double cpuSeconds,
        String cpuType,
        Integer cpuCores,
        Double memoryGb,
        String memoryType,
        String hostType,
        Double hostNodes,
        String datacenter,
        Double measuredCpuWatts) {

    public static final int SCHEMA_VERSION = 1;

    /** A batch without a measured CPU power. */
    public BatchEvent(Integer schemaVersion, UUID eventId, String jobId, String tenant, String workerId, Long step,
                      Phase phase, Instant startedAt, Instant endedAt, Long samples, Long tokens, BigDecimal flops,
                      String acceleratorType, Integer acceleratorCount, Double utilization, Double measuredPowerWatts,
                      PowerSource powerSource, Double cpuSeconds, String cpuType, Integer cpuCores, Double memoryGb,
                      String memoryType, String hostType, Double hostNodes, String datacenter) {
        this(schemaVersion, eventId, jobId, tenant, workerId, step, phase, startedAt, endedAt, samples, tokens, flops,
                acceleratorType, acceleratorCount, utilization, measuredPowerWatts, powerSource, cpuSeconds, cpuType,
                cpuCores, memoryGb, memoryType, hostType, hostNodes, datacenter, null);
    }

    /**
     * The identity of a batch that was reported without an event id: a name-based UUID of (job, worker, phase,
     * step), so that the same batch reported twice keeps one identity.
     */
    public static UUID deriveEventId(String jobId, String workerId, Phase phase, long step) {
        String name = "carbonstream/batch/" + jobId + "/" + workerId + "/" + phase + "/" + step;
        return UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Wall-clock duration of the batch in nanoseconds; only meaningful for a valid event. */
    public long durationNanos() {
        return java.time.Duration.between(startedAt, endedAt).toNanos();
    }
}
