package io.carbonstream.carbon.archive;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;

/** The final footprint of a finished or failed job (table {@code finished_footprint}). */
@Entity
@Table(name = "finished_footprint")
public class FinishedFootprint extends PanacheEntityBase {

    @Id
    @Column(name = "job_id")
    public String jobId;
    public String tenant;
    public String model;
    @Column(name = "job_state")
    public String jobState;
    public long batches;
    @Column(name = "operational_g")
    public BigDecimal operationalGrams;
    @Column(name = "embodied_g")
    public BigDecimal embodiedGrams;
    /** The whole footprint, as published on carbon.footprint. */
    public String footprint;
    @Column(name = "archived_at")
    public Instant archivedAt;
}
