package io.carbonstream.carbon.grid;

import io.carbonstream.events.BatchValidation;
import io.carbonstream.events.Limits;
import io.carbonstream.events.Violation;
import io.carbonstream.support.Problem;
import io.carbonstream.support.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The inputs of market-based Scope 2 in PostgreSQL: each data centre's contractual instruments over time and each
 * zone's residual mix (docs/methodology.md, "Market-based Scope 2"). Like PUE rows, they apply to batches by the
 * batches' own time. Callers refresh the applied snapshot after a change.
 */
@ApplicationScoped
public class MarketService {

    /** Body of POST /datacenters/{id}/instruments. */
    public record InstrumentRequest(String kind, Instant validFrom, Instant validTo, BigDecimal share,
                                    BigDecimal gCo2ePerKWh, String source) {
    }

    /** Body of POST /residual-mixes. */
    public record ResidualMixRequest(String zone, Instant validFrom, BigDecimal gCo2ePerKWh, String source) {
    }

    @Inject
    StaticTables tables;

    @Inject
    DatacenterRepository applied;

    Clock clock = Clock.systemUTC();

    @WithSession
    public Uni<List<DatacenterCatalog.Instrument>> instruments(String datacenterId) {
        return datacenter(datacenterId).flatMap(dc -> InstrumentRow.<InstrumentRow>list("datacenterId", Sort.by("validFrom").and("id"),
                datacenterId)).map(rows -> rows.stream().map(MarketService::instrument).toList());
    }

    /**
     * Adds an instrument. 400 naming the field: an unknown kind, a period that is not one, a share outside (0, 1]
     * (or one given to a supplier's factor), a negative or impossible factor, shares that would cover more than all
     * of the data centre's consumption at some time, and a supplier's factor overlapping another.
     */
    @WithTransaction
    public Uni<DatacenterCatalog.Instrument> addInstrument(String datacenterId, InstrumentRequest r) {
        if (r == null) {
            throw ProblemException.invalidField(null, "the request body is empty");
        }
        List<Violation> v = new ArrayList<>();
        DatacenterCatalog.InstrumentKind kind = null;
        try {
            kind = r.kind() == null ? null : DatacenterCatalog.InstrumentKind.valueOf(r.kind().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // named below
        }
        if (kind == null) {
            v.add(new Violation("kind", "is required: EAC (certificates: GOs, RECs), PPA or SUPPLIER (a supplier-specific factor)"));
        }
        period(v, r.validFrom(), r.validTo());
        if (kind == DatacenterCatalog.InstrumentKind.SUPPLIER) {
            if (r.share() != null) {
                v.add(new Violation("share", "a supplier's factor covers whatever no certificate or PPA covers: give no share"));
            }
        } else if (kind != null) {
            if (r.share() == null || r.share().signum() <= 0 || r.share().compareTo(BigDecimal.ONE) > 0) {
                v.add(new Violation("share", "is required: the share of the data centre's consumption covered, more than 0 and at most 1"));
            } else if (r.share().stripTrailingZeros().scale() > 6) {
                v.add(new Violation("share", "at most 6 decimal places, was " + r.share().toPlainString()));
            }
        }
        factor(v, r.gCo2ePerKWh());
        BatchValidation.source(v, "source", r.source(), "where the instrument and its factor are documented");
        requireValid(v);
        DatacenterCatalog.InstrumentKind k = kind;
        return datacenter(datacenterId).flatMap(dc -> InstrumentRow.<InstrumentRow>list("datacenterId", datacenterId)).flatMap(rows -> {
            List<DatacenterCatalog.Instrument> existing = rows.stream().map(MarketService::instrument).toList();
            overlap(existing, k, r);
            InstrumentRow row = new InstrumentRow();
            row.id = "instr-" + UUID.randomUUID();
            row.datacenterId = datacenterId;
            row.kind = k.name();
            row.validFrom = r.validFrom();
            row.validTo = r.validTo();
            row.share = r.share();
            row.gCo2ePerKWh = r.gCo2ePerKWh();
            row.source = r.source();
            row.createdAt = clock.instant();
            return row.persist().map(ignored -> instrument(row));
        });
    }

    @WithTransaction
    public Uni<DatacenterCatalog.Instrument> deleteInstrument(String datacenterId, String id) {
        return InstrumentRow.<InstrumentRow>findById(id).flatMap(row -> {
            if (row == null || !row.datacenterId.equals(datacenterId)) {
                throw ProblemException.notFound("data centre " + datacenterId + " has no instrument " + id);
            }
            DatacenterCatalog.Instrument gone = instrument(row);
            return row.delete().replaceWith(gone);
        });
    }

    @WithSession
    public Uni<List<DatacenterCatalog.ResidualMix>> residualMixes() {
        return ResidualMixRow.<ResidualMixRow>listAll(Sort.by("zone").and("validFrom"))
                .map(rows -> rows.stream().map(MarketService::mix).toList());
    }

    /**
     * Adds a zone's residual mix valid from a time. 400 naming the field: a zone no data centre draws from and the
     * static table does not know, a missing or impossible time, a negative or impossible factor; 409 when the zone
     * has a residual mix from that time already.
     */
    @WithTransaction
    public Uni<DatacenterCatalog.ResidualMix> addResidualMix(ResidualMixRequest r) {
        if (r == null) {
            throw ProblemException.invalidField(null, "the request body is empty");
        }
        List<Violation> v = new ArrayList<>();
        if (r.zone() == null || r.zone().isBlank()) {
            v.add(new Violation("zone", "is required"));
        } else if (r.zone().length() > Limits.MAX_ZONE_LENGTH || (tables.annualIntensity(r.zone()).isEmpty()
                && !applied.await(java.time.Duration.ofSeconds(10)).hasZone(r.zone()))) {
            v.add(new Violation("zone", "unknown zone: no data centre draws from it and the static table has no intensity for it"));
        }
        instant(v, "validFrom", r.validFrom());
        factor(v, r.gCo2ePerKWh());
        BatchValidation.source(v, "source", r.source(), "where the residual mix is published");
        requireValid(v);
        return ResidualMixRow.<ResidualMixRow>find("zone = ?1 and validFrom = ?2", r.zone(), r.validFrom()).firstResult()
                .flatMap(existing -> {
                    if (existing != null) {
                        throw new ProblemException(Problem.conflict("zone " + r.zone() + " has a residual mix from " + r.validFrom()));
                    }
                    ResidualMixRow row = new ResidualMixRow();
                    row.zone = r.zone();
                    row.validFrom = r.validFrom();
                    row.gCo2ePerKWh = r.gCo2ePerKWh();
                    row.source = r.source();
                    return row.persist().map(ignored -> mix(row));
                });
    }

    /** Certificates and PPAs never cover more than all consumption; two supplier factors never hold at once. */
    static void overlap(List<DatacenterCatalog.Instrument> existing, DatacenterCatalog.InstrumentKind kind,
                        InstrumentRequest r) {
        if (kind == DatacenterCatalog.InstrumentKind.SUPPLIER) {
            for (DatacenterCatalog.Instrument i : existing) {
                if (i.kind() == kind && i.validFrom().isBefore(r.validTo()) && r.validFrom().isBefore(i.validTo())) {
                    throw ProblemException.invalidField("validFrom", "overlaps supplier-specific factor " + i.id() + " ("
                            + i.validFrom() + " to " + i.validTo() + "): one supplier factor holds at a time");
                }
            }
            return;
        }
        // the covered share is highest at the start of some instrument inside the new period (or the period's own)
        TreeSet<Instant> starts = new TreeSet<>();
        starts.add(r.validFrom());
        for (DatacenterCatalog.Instrument i : existing) {
            if (!i.validFrom().isBefore(r.validFrom()) && i.validFrom().isBefore(r.validTo())) {
                starts.add(i.validFrom());
            }
        }
        for (Instant t : starts) {
            BigDecimal covered = r.share();
            for (DatacenterCatalog.Instrument i : existing) {
                if (i.kind() != DatacenterCatalog.InstrumentKind.SUPPLIER && i.covers(t)) {
                    covered = covered.add(i.share());
                }
            }
            if (covered.compareTo(BigDecimal.ONE) > 0) {
                throw ProblemException.invalidField("share", "with the certificates and PPAs already covering " + t
                        + ", the shares would add up to " + covered.stripTrailingZeros().toPlainString()
                        + ": more than all of the data centre's consumption");
            }
        }
    }

    private static void period(List<Violation> v, Instant from, Instant to) {
        boolean a = instant(v, "validFrom", from);
        boolean b = instant(v, "validTo", to);
        if (a && b && !to.isAfter(from)) {
            v.add(new Violation("validTo", "must be after validFrom"));
        }
    }

    private static boolean instant(List<Violation> v, String field, Instant t) {
        if (t == null) {
            v.add(new Violation(field, "is required"));
            return false;
        }
        if (!Limits.inRange(t)) {
            v.add(new Violation(field, Limits.outOfRange(t)));
            return false;
        }
        return true;
    }

    private static void factor(List<Violation> v, BigDecimal g) {
        if (g == null) {
            v.add(new Violation("gCo2ePerKWh", "is required: the instrument's emission factor in gCO2e/kWh (0 for renewable certificates)"));
        } else if (g.signum() < 0 || g.compareTo(Limits.MAX_GCO2E_PER_KWH) > 0) {
            v.add(new Violation("gCo2ePerKWh", "must be in 0.." + Limits.MAX_GCO2E_PER_KWH.toPlainString() + ", was " + g.toPlainString()));
        } else if (g.stripTrailingZeros().scale() > 3) {
            v.add(new Violation("gCo2ePerKWh", "at most 3 decimal places, was " + g.toPlainString()));
        }
    }

    private static void requireValid(List<Violation> v) {
        if (!v.isEmpty()) {
            throw ProblemException.invalid(v);
        }
    }

    private static Uni<DatacenterRow> datacenter(String id) {
        return DatacenterRow.<DatacenterRow>findById(id).map(row -> {
            if (row == null) {
                throw ProblemException.notFound("no data centre " + id);
            }
            return row;
        });
    }

    static DatacenterCatalog.Instrument instrument(InstrumentRow r) {
        return new DatacenterCatalog.Instrument(r.id, r.datacenterId, DatacenterCatalog.InstrumentKind.valueOf(r.kind),
                r.validFrom, r.validTo, r.share, r.gCo2ePerKWh, r.source);
    }

    static DatacenterCatalog.ResidualMix mix(ResidualMixRow r) {
        return new DatacenterCatalog.ResidualMix(r.zone, r.validFrom, r.gCo2ePerKWh, r.source);
    }
}
