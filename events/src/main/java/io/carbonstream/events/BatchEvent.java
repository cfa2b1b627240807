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
 * @param powerTolerance     relative accuracy of {@code measuredPowerWatts}, in 0..1, e.g. 0.02 for +/- 2 % (optional;
 *                           the source's default otherwise, {@link Tolerances}); sets the bounds of the reading
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
        Double measuredCpuWatts,
        Double powerTolerance) {

    public static final int SCHEMA_VERSION = 1;

    /** A builder holding this batch's fields, to change some of them by name. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.schemaVersion = schemaVersion;
        b.eventId = eventId;
        b.jobId = jobId;
        b.tenant = tenant;
        b.workerId = workerId;
        b.step = step;
        b.phase = phase;
        b.startedAt = startedAt;
        b.endedAt = endedAt;
        b.samples = samples;
        b.tokens = tokens;
        b.flops = flops;
        b.acceleratorType = acceleratorType;
        b.acceleratorCount = acceleratorCount;
        b.utilization = utilization;
        b.measuredPowerWatts = measuredPowerWatts;
        b.powerSource = powerSource;
        b.cpuSeconds = cpuSeconds;
        b.cpuType = cpuType;
        b.cpuCores = cpuCores;
        b.memoryGb = memoryGb;
        b.memoryType = memoryType;
        b.hostType = hostType;
        b.hostNodes = hostNodes;
        b.datacenter = datacenter;
        b.measuredCpuWatts = measuredCpuWatts;
        b.powerTolerance = powerTolerance;
        return b;
    }

    /** A builder with every field unset (null; 0 for counts). */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link BatchEvent} field by field, by name: {@code BatchEvent.builder().jobId("j")...build()}. */
    public static final class Builder {
        private Integer schemaVersion;
        private UUID eventId;
        private String jobId;
        private String tenant;
        private String workerId;
        private Long step;
        private Phase phase;
        private Instant startedAt;
        private Instant endedAt;
        private Long samples;
        private Long tokens;
        private BigDecimal flops;
        private String acceleratorType;
        private Integer acceleratorCount;
        private Double utilization;
        private Double measuredPowerWatts;
        private PowerSource powerSource;
        private Double cpuSeconds;
        private String cpuType;
        private Integer cpuCores;
        private Double memoryGb;
        private String memoryType;
        private String hostType;
        private Double hostNodes;
        private String datacenter;
        private Double measuredCpuWatts;
        private Double powerTolerance;

        private Builder() {
        }

        public Builder schemaVersion(Integer schemaVersion) {
            this.schemaVersion = schemaVersion;
            return this;
        }

        public Builder eventId(UUID eventId) {
            this.eventId = eventId;
            return this;
        }

        public Builder jobId(String jobId) {
            this.jobId = jobId;
            return this;
        }

        public Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        public Builder workerId(String workerId) {
            this.workerId = workerId;
            return this;
        }

        public Builder step(Long step) {
            this.step = step;
            return this;
        }

        public Builder phase(Phase phase) {
            this.phase = phase;
            return this;
        }

        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder endedAt(Instant endedAt) {
            this.endedAt = endedAt;
            return this;
        }

        public Builder samples(Long samples) {
            this.samples = samples;
            return this;
        }

        public Builder tokens(Long tokens) {
            this.tokens = tokens;
            return this;
        }

        public Builder flops(BigDecimal flops) {
            this.flops = flops;
            return this;
        }

        public Builder acceleratorType(String acceleratorType) {
            this.acceleratorType = acceleratorType;
            return this;
        }

        public Builder acceleratorCount(Integer acceleratorCount) {
            this.acceleratorCount = acceleratorCount;
            return this;
        }

        public Builder utilization(Double utilization) {
            this.utilization = utilization;
            return this;
        }

        public Builder measuredPowerWatts(Double measuredPowerWatts) {
            this.measuredPowerWatts = measuredPowerWatts;
            return this;
        }

        public Builder powerSource(PowerSource powerSource) {
            this.powerSource = powerSource;
            return this;
        }

        public Builder cpuSeconds(Double cpuSeconds) {
            this.cpuSeconds = cpuSeconds;
            return this;
        }

        public Builder cpuType(String cpuType) {
            this.cpuType = cpuType;
            return this;
        }

        public Builder cpuCores(Integer cpuCores) {
            this.cpuCores = cpuCores;
            return this;
        }

        public Builder memoryGb(Double memoryGb) {
            this.memoryGb = memoryGb;
            return this;
        }

        public Builder memoryType(String memoryType) {
            this.memoryType = memoryType;
            return this;
        }

        public Builder hostType(String hostType) {
            this.hostType = hostType;
            return this;
        }

        public Builder hostNodes(Double hostNodes) {
            this.hostNodes = hostNodes;
            return this;
        }

        public Builder datacenter(String datacenter) {
            this.datacenter = datacenter;
            return this;
        }

        public Builder measuredCpuWatts(Double measuredCpuWatts) {
            this.measuredCpuWatts = measuredCpuWatts;
            return this;
        }

        public Builder powerTolerance(Double powerTolerance) {
            this.powerTolerance = powerTolerance;
            return this;
        }

        public BatchEvent build() {
            return new BatchEvent(schemaVersion, eventId, jobId, tenant, workerId, step, phase, startedAt, endedAt,
                    samples, tokens, flops, acceleratorType, acceleratorCount, utilization, measuredPowerWatts, powerSource,
                    cpuSeconds, cpuType, cpuCores, memoryGb, memoryType, hostType, hostNodes, datacenter, measuredCpuWatts,
                    powerTolerance);
        }
    }

    /** A batch without a measured CPU power. */
    public BatchEvent(Integer schemaVersion, UUID eventId, String jobId, String tenant, String workerId, Long step,
                      Phase phase, Instant startedAt, Instant endedAt, Long samples, Long tokens, BigDecimal flops,
                      String acceleratorType, Integer acceleratorCount, Double utilization, Double measuredPowerWatts,
                      PowerSource powerSource, Double cpuSeconds, String cpuType, Integer cpuCores, Double memoryGb,
                      String memoryType, String hostType, Double hostNodes, String datacenter) {
        this(schemaVersion, eventId, jobId, tenant, workerId, step, phase, startedAt, endedAt, samples, tokens, flops,
                acceleratorType, acceleratorCount, utilization, measuredPowerWatts, powerSource, cpuSeconds, cpuType,
                cpuCores, memoryGb, memoryType, hostType, hostNodes, datacenter, null, null);
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
