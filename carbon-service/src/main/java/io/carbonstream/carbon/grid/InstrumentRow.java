package io.carbonstream.carbon.grid;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;

/** A data centre's contractual instrument over a period (table {@code contractual_instrument}). */
@Entity
@Table(name = "contractual_instrument")
public class InstrumentRow extends PanacheEntityBase {

    @Id
    public String id;
    @Column(name = "datacenter_id")
    public String datacenterId;
    /** EAC, PPA or SUPPLIER. */
    public String kind;
    @Column(name = "valid_from")
    public Instant validFrom;
    @Column(name = "valid_to")
    public Instant validTo;
    /** The share of consumption covered; null for a supplier's factor. */
    public BigDecimal share;
    @Column(name = "g_co2e_per_kwh")
    public BigDecimal gCo2ePerKWh;
    public String source;
    @Column(name = "created_at")
    public Instant createdAt;
}
