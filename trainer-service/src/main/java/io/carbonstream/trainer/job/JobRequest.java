package io.carbonstream.trainer.job;

import io.carbonstream.events.BatchValidation;
import io.carbonstream.events.Limits;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Violation;

import java.time.Duration;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Body of {@code POST /jobs}.
 *
 * @param id                    optional job id (letters, digits, '.', '_', '-'); generated when absent
 * @param tenant                the owning tenant or team (required)
 * @param name                  a human name (required)
 * @param model                 the model trained, such as {@code gpt2-small} (optional)
 * @param modelParameters       parameter count of the model (optional; the built-in trainer derives FLOPs from it)
 * @param phase                 default phase of its batches (default PRETRAIN)
 * @param acceleratorType       hardware profile id of each worker's accelerators (required unless 0 accelerators)
 * @param acceleratorsPerWorker accelerators per worker (default 1; 0 for CPU-only jobs)
 * @param workers               workers (ranks or nodes) of the job (default 1)
 * @param cpuType               hardware profile id of each worker's CPUs (optional)
 * @param cpuCoresPerWorker     vCPUs of each worker (required with cpuType)
 * @param memoryGbPerWorker     host memory of each worker in GB (optional)
 * @param memoryType            memory profile id (optional; {@code dram})
 * @param hostType              node-overhead profile id (optional)
 * @param hostNodesPerWorker    nodes each worker accounts for (optional; 1 with hostType)
 * @param datacenter            data-centre id (required), which gives grid zone and PUE
 * @param plannedSteps          declared length in steps (optional)
 * @param plannedTokens         declared length in tokens (optional)
 * @param co2eBudgetGrams       the job's carbon budget, g CO2e (optional): carbon.alerts gets one alert as its
 *                              footprint, or its projection to completion, crosses 50, 80 and 100 % of it
 * @param startedAt             when the job started (default: now; may be in the past for imported runs)
 */
public record JobRequest(String id, String tenant, String name, String model, Long modelParameters, Phase phase,
                         String acceleratorType, Integer acceleratorsPerWorker, Integer workers, String cpuType,
                         Integer cpuCoresPerWorker, Double memoryGbPerWorker, String memoryType, String hostType,
                         Double hostNodesPerWorker, String datacenter,
                         Long plannedSteps, Long plannedTokens, Instant startedAt, BigDecimal co2eBudgetGrams) {

    /** A job without a carbon budget. */
    public JobRequest(String id, String tenant, String name, String model, Long modelParameters, Phase phase,
                      String acceleratorType, Integer acceleratorsPerWorker, Integer workers, String cpuType,
                      Integer cpuCoresPerWorker, Double memoryGbPerWorker, String memoryType, String hostType,
                      Double hostNodesPerWorker, String datacenter, Long plannedSteps, Long plannedTokens, Instant startedAt) {
        this(id, tenant, name, model, modelParameters, phase, acceleratorType, acceleratorsPerWorker, workers, cpuType,
                cpuCoresPerWorker, memoryGbPerWorker, memoryType, hostType, hostNodesPerWorker, datacenter, plannedSteps,
                plannedTokens, startedAt, null);
    }

    /** This request for the tenant the caller's token names (see {@code Caller#actingTenant}). */
    public JobRequest withTenant(String tenant) {
        return new JobRequest(id, tenant, name, model, modelParameters, phase, acceleratorType, acceleratorsPerWorker, workers, cpuType, cpuCoresPerWorker, memoryGbPerWorker, memoryType, hostType, hostNodesPerWorker, datacenter, plannedSteps, plannedTokens, startedAt, co2eBudgetGrams);
    }


    /** Most workers a job may declare. */
    public static final int MAX_WORKERS = 100_000;
    /** How far ahead of this service's clock a client's timestamp may be. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    public List<Violation> validate(Instant now) {
        List<Violation> v = new ArrayList<>();
        BatchValidation.pathId(v, "id", id);
        BatchValidation.id(v, "tenant", tenant, true);
        BatchValidation.text(v, "name", name, Limits.MAX_TEXT_LENGTH, true);
        BatchValidation.text(v, "model", model, Limits.MAX_TEXT_LENGTH, false);
        BatchValidation.id(v, "datacenter", datacenter, true);
        if (modelParameters != null && modelParameters <= 0) {
            v.add(new Violation("modelParameters", "must be > 0, was " + modelParameters));
        }
        int accelerators = acceleratorsPerWorker == null ? 1 : acceleratorsPerWorker;
        if (accelerators < 0 || accelerators > BatchValidation.MAX_ACCELERATORS_PER_WORKER) {
            v.add(new Violation("acceleratorsPerWorker", "must be in 0.." + BatchValidation.MAX_ACCELERATORS_PER_WORKER
                    + ", was " + accelerators));
        }
        BatchValidation.id(v, "acceleratorType", acceleratorType, accelerators > 0);
        if (workers != null && (workers < 1 || workers > MAX_WORKERS)) {
            v.add(new Violation("workers", "must be in 1.." + MAX_WORKERS + ", was " + workers));
        }
        BatchValidation.id(v, "cpuType", cpuType, false);
        if (cpuType != null && cpuCoresPerWorker == null) {
            v.add(new Violation("cpuCoresPerWorker", "is required with cpuType"));
        } else if (cpuCoresPerWorker != null && (cpuCoresPerWorker < 1 || cpuCoresPerWorker > BatchValidation.MAX_CPU_CORES_PER_WORKER)) {
            v.add(new Violation("cpuCoresPerWorker", "must be in 1.." + BatchValidation.MAX_CPU_CORES_PER_WORKER
                    + ", was " + cpuCoresPerWorker));
        }
        if (memoryGbPerWorker != null && !(memoryGbPerWorker >= 0 && memoryGbPerWorker <= BatchValidation.MAX_MEMORY_GB_PER_WORKER)) {
            v.add(new Violation("memoryGbPerWorker", "must be in 0.." + (long) BatchValidation.MAX_MEMORY_GB_PER_WORKER
                    + ", was " + memoryGbPerWorker));
        }
        BatchValidation.id(v, "memoryType", memoryType, false);
        BatchValidation.id(v, "hostType", hostType, false);
        if (hostNodesPerWorker != null && !(hostNodesPerWorker > 0 && hostNodesPerWorker <= BatchValidation.MAX_HOST_NODES_PER_WORKER)) {
            v.add(new Violation("hostNodesPerWorker", "must be in (0, " + (long) BatchValidation.MAX_HOST_NODES_PER_WORKER
                    + "], was " + hostNodesPerWorker));
        }
        if (plannedSteps != null && plannedSteps <= 0) {
            v.add(new Violation("plannedSteps", "must be > 0, was " + plannedSteps));
        }
        io.carbonstream.events.EventValidation.budget(v, "co2eBudgetGrams", co2eBudgetGrams);
        if (plannedTokens != null && plannedTokens <= 0) {
            v.add(new Violation("plannedTokens", "must be > 0, was " + plannedTokens));
        }
        if (startedAt != null && startedAt.isAfter(now.plus(CLOCK_SKEW))) {
            v.add(new Violation("startedAt", "is in the future (" + startedAt + ", now " + now + ")"));
        }
        return v;
    }

    public Job toJob(String generatedId, Instant now) {
        Job job = new Job();
        job.id = id != null ? id : generatedId;
        job.tenant = tenant;
        job.name = name;
        job.model = model;
        job.modelParameters = modelParameters;
        job.phase = phase != null ? phase : Phase.PRETRAIN;
        job.acceleratorsPerWorker = acceleratorsPerWorker == null ? 1 : acceleratorsPerWorker;
        job.acceleratorType = acceleratorType;
        job.workers = workers == null ? 1 : workers;
        job.cpuType = cpuType;
        job.cpuCoresPerWorker = cpuCoresPerWorker;
        job.memoryGbPerWorker = memoryGbPerWorker;
        job.memoryType = memoryType;
        job.hostType = hostType;
        job.hostNodesPerWorker = hostNodesPerWorker;
        job.datacenter = datacenter;
        job.plannedSteps = plannedSteps;
        job.plannedTokens = plannedTokens;
        job.co2eBudgetGrams = co2eBudgetGrams;
        job.state = JobState.RUNNING;
        job.createdAt = now;
        job.startedAt = startedAt != null ? startedAt : now;
        return job;
    }
}
