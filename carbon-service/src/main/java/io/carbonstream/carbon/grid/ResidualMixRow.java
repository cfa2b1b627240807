package io.carbonstream.carbon.grid;

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

/** A zone's residual mix from {@code validFrom} until its next one (table {@code residual_mix}). */
@Entity
@Table(name = "residual_mix")
@IdClass(ResidualMixRow.Key.class)
public class ResidualMixRow extends PanacheEntityBase {

    @Id
    public String zone;
    @Id
    @Column(name = "valid_from")
    public Instant validFrom;
    @Column(name = "g_co2e_per_kwh")
    public BigDecimal gCo2ePerKWh;
    public String source;

    /** The composite key (zone, validFrom). */
    public static class Key implements Serializable {
        public String zone;
        public Instant validFrom;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.zone, zone) && Objects.equals(k.validFrom, validFrom);
        }

        @Override
        public int hashCode() {
            return Objects.hash(zone, validFrom);
        }
    }
}
