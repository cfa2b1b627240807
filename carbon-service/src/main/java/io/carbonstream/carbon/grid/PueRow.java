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

/** A data centre's PUE from {@code validFrom} until its next one (table {@code datacenter_pue}). */
@Entity
@Table(name = "datacenter_pue")
@IdClass(PueRow.Key.class)
public class PueRow extends PanacheEntityBase {

    @Id
    @Column(name = "datacenter_id")
    public String datacenterId;
    @Id
    @Column(name = "valid_from")
    public Instant validFrom;
    public BigDecimal pue;
    /** The low end of the PUE's stated range; null (with pueHigh) when none was stated. */
    @Column(name = "pue_low")
    public BigDecimal pueLow;
    /** The high end of the PUE's stated range; null (with pueLow) when none was stated. */
    @Column(name = "pue_high")
    public BigDecimal pueHigh;
    public String source;

    /** The composite key (datacenterId, validFrom). */
    public static class Key implements Serializable {
        public String datacenterId;
        public Instant validFrom;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.datacenterId, datacenterId) && Objects.equals(k.validFrom, validFrom);
        }

        @Override
        public int hashCode() {
            return Objects.hash(datacenterId, validFrom);
        }
    }
}
