package io.carbonstream.telemetry.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** One version of a hardware profile (table {@code hardware_profile}); rows are only ever inserted. */
@Entity
@Table(name = "hardware_profile")
@IdClass(ProfileRow.Key.class)
public class ProfileRow extends PanacheEntityBase {

    @Id
    public String id;
    @Id
    public int version;
    public String kind;
    public String name;
    @Column(name = "idle_watts")
    public BigDecimal idleWatts;
    @Column(name = "max_watts")
    public BigDecimal maxWatts;
    public String sources;
    public boolean retired;
    public String curve;
    /** A calibrated profile's relative range at a reported utilisation; null for the model's default. */
    public BigDecimal tolerance;
    @Column(name = "created_at")
    public Instant createdAt;

    /** The composite key (id, version). */
    public static class Key implements Serializable {
        public String id;
        public int version;

        public Key() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.version == version && Objects.equals(k.id, id);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, version);
        }
    }
}
