package io.carbonstream.carbon.grid;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A data centre (table {@code datacenter}). */
@Entity
@Table(name = "datacenter")
public class DatacenterRow extends PanacheEntityBase {

    @Id
    public String id;
    public String zone;
    public String name;
    public String source;
    public boolean retired;
    @Column(name = "created_at")
    public Instant createdAt;
}
