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

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Data centres and their PUE over time in PostgreSQL. Callers refresh the applied snapshot after a change. */
@ApplicationScoped
public class DatacenterService {

    /**
     * Body of POST and PUT /datacenters: {@code pue}, its optional stated range {@code pueLow}..{@code pueHigh} (and
     * {@code id}) on creation only.
     */
    public record Request(String id, String zone, String name, BigDecimal pue, String source, BigDecimal pueLow,
                          BigDecimal pueHigh) {

        public Request(String id, String zone, String name, BigDecimal pue, String source) {
            this(id, zone, name, pue, source, null, null);
        }
    }

    /** Body of POST /datacenters/{id}/pue, with the PUE's optional stated range {@code pueLow}..{@code pueHigh}. */
    public record PueRequest(Instant validFrom, BigDecimal pue, String source, BigDecimal pueLow, BigDecimal pueHigh) {

        public PueRequest(Instant validFrom, BigDecimal pue, String source) {
            this(validFrom, pue, source, null, null);
        }
    }

    /** A data centre with its PUE history, oldest first. */
    public record View(String id, String zone, String name, String source, boolean retired, BigDecimal currentPue,
                       List<DatacenterCatalog.Pue> pue) {
    }

    Clock clock = Clock.systemUTC();

    @WithSession
    public Uni<List<View>> list(boolean includeRetired) {
        return DatacenterRow.<DatacenterRow>listAll(Sort.by("id")).flatMap(rows -> PueRow.<PueRow>listAll(Sort.by("validFrom"))
                .map(pues -> rows.stream().filter(r -> includeRetired || !r.retired)
                        .map(r -> view(r, pues.stream().filter(p -> p.datacenterId.equals(r.id)).toList())).toList()));
    }

    @WithSession
    public Uni<View> get(String id) {
        return find(id).flatMap(row -> PueRow.<PueRow>list("datacenterId", Sort.by("validFrom"), id).map(p -> view(row, p)));
    }

    @WithTransaction
    public Uni<View> create(Request r) {
        List<Violation> v = new ArrayList<>();
        if (r == null) {
            throw ProblemException.invalidField(null, "the request body is empty");
        }
        if (r.id() == null || !r.id().matches("[a-z0-9][a-z0-9._-]{0," + (Limits.MAX_ID_LENGTH - 1) + "}")) {
            v.add(new Violation("id", "is required: lower-case letters, digits, '.', '_' or '-', at most " + Limits.MAX_ID_LENGTH));
        }
        site(v, r.zone(), r.name(), r.source());
        pue(v, "pue", r.pue());
        range(v, r.pue(), r.pueLow(), r.pueHigh());
        requireValid(v);
        return DatacenterRow.<DatacenterRow>findById(r.id()).flatMap(existing -> {
            if (existing != null) {
                throw new ProblemException(Problem.conflict("data centre " + r.id() + " exists"));
            }
            DatacenterRow row = new DatacenterRow();
            row.id = r.id();
            row.zone = r.zone();
            row.name = r.name();
            row.source = r.source();
            row.createdAt = clock.instant();
            PueRow pue = new PueRow();
            pue.datacenterId = r.id();
            pue.validFrom = Instant.EPOCH;
            pue.pue = r.pue();
            pue.pueLow = r.pueLow();
            pue.pueHigh = r.pueHigh();
            pue.source = r.source();
            return row.persist().chain(pue::persist).replaceWith(() -> view(row, List.of(pue)));
        });
    }

    @WithTransaction
    public Uni<View> update(String id, Request r) {
        List<Violation> v = new ArrayList<>();
        if (r == null) {
            throw ProblemException.invalidField(null, "the request body is empty");
        }
        if (r.id() != null && !r.id().equals(id)) {
            v.add(new Violation("id", "must be the path's id or absent: a data centre's id does not change"));
        }
        site(v, r.zone(), r.name(), r.source());
        if (r.pue() != null) {
            v.add(new Violation("pue", "changes with POST /datacenters/" + id + "/pue and the time it applies from"));
        }
        if (r.pueLow() != null || r.pueHigh() != null) {
            v.add(new Violation(r.pueLow() != null ? "pueLow" : "pueHigh",
                    "changes with the PUE, with POST /datacenters/" + id + "/pue"));
        }
        requireValid(v);
        return find(id).map(row -> {
            row.zone = r.zone();
            row.name = r.name();
            row.source = r.source();
            return row;
        }).flatMap(row -> PueRow.<PueRow>list("datacenterId", Sort.by("validFrom"), id).map(p -> view(row, p)));
    }

    /** Retires a data centre: batches naming it are dead-lettered from now on; its history stays. */
    @WithTransaction
    public Uni<View> retire(String id) {
        return find(id).map(row -> {
            row.retired = true;
            return row;
        }).flatMap(row -> PueRow.<PueRow>list("datacenterId", Sort.by("validFrom"), id).map(p -> view(row, p)));
    }

    /** Adds a PUE valid from {@code validFrom}: batches from then on are charged it, even ones arriving late. */
    @WithTransaction
    public Uni<View> addPue(String id, PueRequest r) {
        List<Violation> v = new ArrayList<>();
        if (r == null) {
            throw ProblemException.invalidField(null, "the request body is empty");
        }
        if (r.validFrom() == null) {
            v.add(new Violation("validFrom", "is required"));
        }
        pue(v, "pue", r.pue());
        range(v, r.pue(), r.pueLow(), r.pueHigh());
        BatchValidation.source(v, "source", r.source(), "where the PUE figure comes from");
        requireValid(v);
        return find(id).flatMap(row -> PueRow.<PueRow>find("datacenterId = ?1 and validFrom = ?2", id, r.validFrom())
                .firstResult().flatMap(existing -> {
                    if (existing != null) {
                        throw new ProblemException(Problem.conflict("data centre " + id + " has a PUE from " + r.validFrom()));
                    }
                    PueRow pue = new PueRow();
                    pue.datacenterId = id;
                    pue.validFrom = r.validFrom();
                    pue.pue = r.pue();
                    pue.pueLow = r.pueLow();
                    pue.pueHigh = r.pueHigh();
                    pue.source = r.source();
                    return pue.persist();
                }).flatMap(ignored -> PueRow.<PueRow>list("datacenterId", Sort.by("validFrom"), id)).map(p -> view(row, p)));
    }

    private static void site(List<Violation> v, String zone, String name, String source) {
        if (zone == null || !zone.matches("[A-Za-z0-9][A-Za-z0-9_-]{0," + (Limits.MAX_ZONE_LENGTH - 1) + "}")) {
            v.add(new Violation("zone", "is required: letters, digits, '-' or '_', such as DE or US-CAL-CISO, at most "
                    + Limits.MAX_ZONE_LENGTH));
        }
        BatchValidation.text(v, "name", name, Limits.MAX_TEXT_LENGTH, false);
        BatchValidation.source(v, "source", source, "where the figures come from");
    }

    private static void pue(List<Violation> v, String field, BigDecimal pue) {
        if (pue == null) {
            v.add(new Violation(field, "is required"));
        } else if (PueRange.violation(pue) != null) {
            v.add(new Violation(field, PueRange.violation(pue)));
        } else if (pue.stripTrailingZeros().scale() > 3) {
            v.add(new Violation(field, "at most 3 decimal places, was " + pue.toPlainString()));
        }
    }

    /** A stated range: both ends or neither, each a valid PUE, low <= pue <= high. */
    private static void range(List<Violation> v, BigDecimal pue, BigDecimal low, BigDecimal high) {
        if (low == null && high == null) {
            return;
        }
        if (low == null || high == null) {
            v.add(new Violation(low == null ? "pueLow" : "pueHigh", "is required with " + (low == null ? "pueHigh" : "pueLow")
                    + ": a stated range has both ends"));
            return;
        }
        int before = v.size();
        pue(v, "pueLow", low);
        pue(v, "pueHigh", high);
        if (v.size() > before || pue == null) {
            return;
        }
        if (low.compareTo(pue) > 0) {
            v.add(new Violation("pueLow", "must be at most pue (" + pue.toPlainString() + "), was " + low.toPlainString()));
        }
        if (high.compareTo(pue) < 0) {
            v.add(new Violation("pueHigh", "must be at least pue (" + pue.toPlainString() + "), was " + high.toPlainString()));
        }
    }

    private static void requireValid(List<Violation> v) {
        if (!v.isEmpty()) {
            throw ProblemException.invalid(v);
        }
    }

    private static Uni<DatacenterRow> find(String id) {
        return DatacenterRow.<DatacenterRow>findById(id).map(row -> {
            if (row == null) {
                throw ProblemException.notFound("no data centre " + id);
            }
            return row;
        });
    }

    private View view(DatacenterRow row, List<PueRow> pues) {
        Instant now = clock.instant();
        BigDecimal current = pues.stream().filter(p -> !p.validFrom.isAfter(now)).reduce((a, b) -> b).map(p -> p.pue).orElse(null);
        return new View(row.id, row.zone, row.name, row.source, row.retired, current,
                pues.stream().map(p -> new DatacenterCatalog.Pue(p.datacenterId, p.validFrom, p.pue, p.source, p.pueLow, p.pueHigh))
                        .toList());
    }
}
