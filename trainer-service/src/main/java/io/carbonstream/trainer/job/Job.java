package io.carbonstream.trainer.job;

import io.carbonstream.events.Phase;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A registered training job (table {@code job}). */
@Entity
@Table(name = "job")
public class Job extends PanacheEntityBase {

    @Id
    public String id;
    public String tenant;
    public String name;
    public String model;
    @Column(name = "model_parameters")
    public Long modelParameters;
    @Enumerated(EnumType.STRING)
    public Phase phase;
    @Column(name = "accelerator_type")
    public String acceleratorType;
    @Column(name = "accelerators_per_worker")
    public int acceleratorsPerWorker;
    public int workers;
    @Column(name = "cpu_type")
    public String cpuType;
    @Column(name = "cpu_cores_per_worker")
    public Integer cpuCoresPerWorker;
    @Column(name = "memory_gb_per_worker")
    public Double memoryGbPerWorker;
    @Column(name = "memory_type")
    public String memoryType;
    @Column(name = "host_type")
    public String hostType;
    @Column(name = "host_nodes_per_worker")
    public Double hostNodesPerWorker;
    public String datacenter;
    @Column(name = "planned_steps")
    public Long plannedSteps;
    @Column(name = "planned_tokens")
    public Long plannedTokens;
    @Column(name = "co2e_budget_grams")
    public java.math.BigDecimal co2eBudgetGrams;
    @Enumerated(EnumType.STRING)
    public JobState state;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
}
