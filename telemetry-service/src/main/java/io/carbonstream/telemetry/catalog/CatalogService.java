package io.carbonstream.telemetry.catalog;

import io.carbonstream.events.BatchValidation;
import io.carbonstream.events.Limits;
import io.carbonstream.events.Tolerances;
import io.carbonstream.events.Violation;
import io.carbonstream.support.Problem;
import io.carbonstream.support.ProblemException;
import io.carbonstream.telemetry.power.CurveFit;
import io.carbonstream.telemetry.power.HardwareKind;
import io.carbonstream.telemetry.power.HardwareProfile;
import io.carbonstream.telemetry.power.PowerPoint;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The hardware catalog in PostgreSQL. Rows are never changed: an update, a retirement or a calibration inserts
 * the next version, so every energy event can be traced to the figures it used. Callers refresh the applied
 * snapshot once a change is committed (other instances pick it up within their refresh interval).
 */
@ApplicationScoped
public class CatalogService {

    /** Most samples one calibration may send. */
    public static final int MAX_SAMPLES = 100_000;

    Clock clock = Clock.systemUTC();

    @WithSession
    public Uni<List<ProfileView>> list(boolean includeRetired) {
        return ProfileRow.<ProfileRow>listAll(Sort.by("id").and("version", Sort.Direction.Descending)).map(rows -> {
            List<ProfileView> latest = new ArrayList<>();
            String last = null;
            for (ProfileRow r : rows) {
                if (!r.id.equals(last) && (includeRetired || !r.retired)) {
                    latest.add(ProfileView.of(r));
                }
                last = r.id;
            }
            return latest;
        });
    }

    @WithSession
    public Uni<ProfileView> current(String id) {
        return latest(id).map(ProfileView::of);
    }

    @WithSession
    public Uni<List<ProfileView>> versions(String id) {
        return ProfileRow.<ProfileRow>list("id", Sort.by("version"), id).map(rows -> {
            if (rows.isEmpty()) {
                throw ProblemException.notFound("no hardware profile " + id);
            }
            return rows.stream().map(ProfileView::of).toList();
        });
    }

    @WithTransaction
    public Uni<ProfileView> create(ProfileRequest request) {
        requireBody(request);
        requireValid(request.validate(true));
        return ProfileRow.<ProfileRow>find("id", request.id()).firstResult().flatMap(existing -> {
            if (existing != null) {
                throw new ProblemException(Problem.conflict("hardware profile " + request.id() + " exists; PUT /hardware/"
                        + request.id() + " makes a new version"));
            }
            return insert(request.id(), 1, request.kind().name(), request.name(), request.idleWatts(), request.maxWatts(),
                    null, request.sources(), false, null);
        });
    }

    /** A new version with new figures; a fitted curve does not carry over (it belonged to the old figures). */
    @WithTransaction
    public Uni<ProfileView> update(String id, ProfileRequest request) {
        requireBody(request);
        List<Violation> v = new ArrayList<>(request.validate(false));
        if (request.id() != null && !request.id().equals(id)) {
            v.add(0, new Violation("id", "must be the path's id or absent: a profile's id does not change"));
        }
        requireValid(v);
        return latest(id).flatMap(current -> insert(id, current.version + 1, request.kind().name(), request.name(),
                request.idleWatts(), request.maxWatts(), null, request.sources(), false, null));
    }

    /** A new version marked retired: batches naming it are dead-lettered from now on; its history stays. */
    @WithTransaction
    public Uni<ProfileView> retire(String id) {
        return latest(id).flatMap(current -> {
            if (current.retired) {
                throw new ProblemException(Problem.conflict("hardware profile " + id + " is already retired"));
            }
            return insert(id, current.version + 1, current.kind, current.name, current.idleWatts, current.maxWatts,
                    Curves.parse(current.curve), current.sources, true, current.tolerance);
        });
    }

    /**
     * Fits the profile's curve to measured samples ({@link CurveFit}) and stores it as a new version whose idle and
     * max watts are the curve's ends, and whose tolerance is the instrument's accuracy plus the fit's largest
     * relative residual ({@link CurveFit#tolerance}).
     *
     * @param accuracy the measuring instrument's relative accuracy (0..1); null for {@link Tolerances#NVML}
     */
    @WithTransaction
    public Uni<ProfileView> calibrate(String id, List<PowerPoint> samples, String source, BigDecimal accuracy) {
        List<Violation> invalid = validateSamples(samples, source);
        if (accuracy != null && (accuracy.signum() < 0 || accuracy.compareTo(BigDecimal.ONE) > 0)) {
            invalid.add(new Violation("accuracy", "the instrument's relative accuracy must be in 0..1 (0.05 for 5 %), was "
                    + accuracy.toPlainString()));
        }
        requireValid(invalid);
        List<PowerPoint> curve = CurveFit.fit(samples);
        BigDecimal tolerance = CurveFit.tolerance(samples, curve, accuracy == null ? Tolerances.NVML : accuracy);
        return latest(id).flatMap(current -> {
            if (current.retired) {
                throw new ProblemException(Problem.conflict("hardware profile " + id + " is retired"));
            }
            String sources = current.sources + "; curve fitted to " + samples.size() + " measured samples: " + source;
            if (sources.length() > Limits.MAX_SOURCE_LENGTH) {
                // the profile's sources keep every calibration's source, and they are bounded like any source
                requireValid(List.of(new Violation("source", "with the profile's sources (" + current.sources.length()
                        + " characters) it would make them longer than " + Limits.MAX_SOURCE_LENGTH
                        + " characters: shorten the source, or the profile's sources (PUT) first")));
            }
            return insert(id, current.version + 1, current.kind, current.name, curve.get(0).watts(),
                    curve.get(curve.size() - 1).watts(), curve, sources, false, tolerance);
        });
    }

    static List<Violation> validateSamples(List<PowerPoint> samples, String source) {
        List<Violation> v = new ArrayList<>();
        BatchValidation.source(v, "source", source, "how and where the samples were measured");
        if (samples == null || samples.size() < 3) {
            v.add(new Violation("samples", "at least 3 samples are needed"));
            return v;
        }
        if (samples.size() > MAX_SAMPLES) {
            v.add(new Violation("samples", samples.size() + " samples; at most " + MAX_SAMPLES));
            return v;
        }
        double lowest = 1;
        double highest = 0;
        for (int i = 0; i < samples.size(); i++) {
            PowerPoint p = samples.get(i);
            if (p == null || p.utilization() == null || p.watts() == null) {
                v.add(new Violation("samples[" + i + "]", "needs utilization and watts"));
                continue;
            }
            if (p.utilization().signum() < 0 || p.utilization().compareTo(BigDecimal.ONE) > 0) {
                v.add(new Violation("samples[" + i + "].utilization", "must be in 0..1, was " + p.utilization().toPlainString()));
            }
            if (p.watts().signum() < 0 || p.watts().compareTo(ProfileRequest.MAX_WATTS) > 0) {
                v.add(new Violation("samples[" + i + "].watts", "must be in 0..100000, was " + p.watts().toPlainString()));
            }
            lowest = Math.min(lowest, p.utilization().doubleValue());
            highest = Math.max(highest, p.utilization().doubleValue());
        }
        if (v.isEmpty() && (lowest > CurveFit.LOWEST_REQUIRED || highest < CurveFit.HIGHEST_REQUIRED)) {
            v.add(new Violation("samples", "must cover low and high load: utilizations from <= " + CurveFit.LOWEST_REQUIRED
                    + " to >= " + CurveFit.HIGHEST_REQUIRED + " (these span " + lowest + ".." + highest + ")"));
        }
        return v;
    }

    private static void requireBody(Object body) {
        if (body == null) {
            throw ProblemException.invalidField(null, "the request body is empty");
        }
    }

    private static void requireValid(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
    }

    private Uni<ProfileRow> latest(String id) {
        return ProfileRow.<ProfileRow>find("id = ?1 order by version desc", id).firstResult().map(row -> {
            if (row == null) {
                throw ProblemException.notFound("no hardware profile " + id);
            }
            return row;
        });
    }

    private Uni<ProfileView> insert(String id, int version, String kind, String name, BigDecimal idle, BigDecimal max,
                                    List<PowerPoint> points, String sources, boolean retired, BigDecimal tolerance) {
        // the same checks the power model makes, so that no row can hold a profile the model would refuse
        new HardwareProfile(id, version, HardwareKind.valueOf(kind), name, idle, max, points, sources, tolerance);
        ProfileRow row = new ProfileRow();
        row.id = id;
        row.version = version;
        row.kind = kind;
        row.name = name;
        row.idleWatts = idle;
        row.maxWatts = max;
        row.curve = Curves.format(points);
        row.sources = sources;
        row.retired = retired;
        row.tolerance = tolerance;
        row.createdAt = clock.instant();
        return row.<ProfileRow>persist().map(ProfileView::of);
    }

}
