package io.carbonstream.trainer.job;

import io.carbonstream.events.Phase;

import java.time.Instant;

/** A job as the API shows it. */
public record JobView(String id, String tenant, String name, String model, Long modelParameters, Phase phase,
                      String acceleratorType, int acceleratorsPerWorker, int workers, String cpuType,
                      Integer cpuCoresPerWorker, Double memoryGbPerWorker, String memoryType, String hostType,
                      Double hostNodesPerWorker, String datacenter,
                      Long plannedSteps, Long plannedTokens, JobState state, Instant createdAt, Instant startedAt,
                      Instant finishedAt, java.math.BigDecimal co2eBudgetGrams) {

    public static JobView of(Job j) {
        return new JobView(j.id, j.tenant, j.name, j.model, j.modelParameters, j.phase, j.acceleratorType,
                j.acceleratorsPerWorker, j.workers, j.cpuType, j.cpuCoresPerWorker,
                j.memoryGbPerWorker, j.memoryType, j.hostType, j.hostNodesPerWorker, j.datacenter, j.plannedSteps, j.plannedTokens, j.state,
                j.createdAt, j.startedAt, j.finishedAt, j.co2eBudgetGrams);
    }
}
