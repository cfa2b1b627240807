package io.carbonstream.carbon.rest;

import io.carbonstream.carbon.accounting.TimelinePoint;
import io.carbonstream.carbon.estimate.EstimateService;
import io.carbonstream.carbon.estimate.WhatIf;
import io.carbonstream.carbon.grid.PueRange;
import io.carbonstream.carbon.query.FootprintQueries;
import io.carbonstream.carbon.query.TimelineQueries;
import io.carbonstream.carbon.report.ImpactSummary;
import io.carbonstream.carbon.report.JobReport;
import io.carbonstream.events.EventValidation;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.support.Auth;
import io.carbonstream.support.Caller;
import io.carbonstream.support.ProblemException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Running footprints over HTTP: what {@link FootprintQueries} and {@link TimelineQueries} read from carbon-service's
 * state stores (Kafka Streams interactive queries), mapped to answers; the parameters checked here.
 */
@Path("/footprints")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Auth.VIEWER, Auth.TRAINER, Auth.ADMIN})
public class FootprintResource {

    @Inject
    FootprintUpdates updates;

    @Inject
    Caller caller;

    @Inject
    FootprintQueries footprints;

    @Inject
    TimelineQueries timelines;

    @Inject
    EstimateService estimates;

    /**
     * {@code GET /footprints/{jobId}/stream}: Server-Sent Events, one JSON footprint per event: the current one
     * first (when the job has one), then every committed update as it happens.
     */
    @GET
    @Path("/{jobId}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    public Multi<FootprintEvent> stream(@PathParam("jobId") String jobId, @Context HttpHeaders headers) {
        FootprintEvent current = footprints.current(jobId, headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        var seen = caller.tenantsSeen();
        // another tenant's job is refused as one that does not exist; a job not known yet may be followed, and every
        // update is checked against the caller's tenant before it is sent
        String owner = current != null ? current.tenant() : jobTenant(jobId);
        if (owner != null && !seen.test(owner)) {
            throw FootprintQueries.notCounted(jobId);
        }
        // Counted batches only grow: skip any update that is not newer than what this client already has.
        AtomicLong sent = new AtomicLong(current == null ? 0 : current.batches());
        Multi<FootprintEvent> live = updates.of(jobId).filter(f -> seen.test(f.tenant()))
                .filter(f -> f.batches() > sent.get())
                .invoke(f -> sent.set(f.batches()));
        return current == null ? live : Multi.createBy().concatenating().streams(Multi.createFrom().item(current), live);
    }

    /**
     * {@code GET /footprints?tenant=&state=&model=&limit=}: the running footprints the caller may see (its tenant's;
     * an admin's: every tenant's, or {@code tenant}'s), newest update first, at most {@code limit} (100, up to
     * 5000). Gathered from every instance: each holds the jobs of its partitions.
     */
    @GET
    @Operation(summary = "The footprints of the caller's jobs, newest first")
    public Uni<List<FootprintEvent>> list(@QueryParam("tenant") String tenant, @QueryParam("state") String state,
                                          @QueryParam("model") String model, @QueryParam("limit") Integer limit,
                                          @Context HttpHeaders headers) {
        int max = limit == null ? FootprintQueries.DEFAULT_LIST : limit;
        if (max < 1 || max > FootprintQueries.MAX_LIST) {
            throw ProblemException.invalidField("limit", "must be in 1.." + FootprintQueries.MAX_LIST + ", was " + limit);
        }
        if (state != null && !EventValidation.JOB_STATES.contains(state)) {
            throw ProblemException.invalidField("state", EventValidation.JOB_STATE_RULE);
        }
        return footprints.list(new FootprintQueries.Filter(caller.tenantsSeen(), tenant, state, model), max, headers);
    }

    /**
     * {@code GET /footprints/{jobId}/timeline?resolution=PT1M}: the job's footprint over time, by the time batches
     * ran (their midpoints), in periods of {@code resolution} (a whole number of minutes, default 1), oldest first.
     */
    @GET
    @Path("/{jobId}/timeline")
    public List<TimelinePoint> timeline(@PathParam("jobId") String jobId, @QueryParam("resolution") String resolution) {
        return timelines.timeline(jobId, resolution(resolution), caller.tenantsSeen());
    }

    private static Duration resolution(String text) {
        if (text == null || text.isBlank()) {
            return Duration.ofMinutes(1);
        }
        Duration d;
        try {
            d = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField("resolution", "\"" + text + "\" is not an ISO-8601 duration such as PT1M or PT1H");
        }
        if (d.isNegative() || d.isZero() || d.toSecondsPart() != 0 || d.toNanosPart() != 0 || d.compareTo(Duration.ofDays(31)) > 0) {
            throw ProblemException.invalidField("resolution", "must be a whole number of minutes up to 31 days, was " + text);
        }
        return d;
    }

    /**
     * {@code GET /footprints/{jobId}/report?format=json|csv|markdown} (default json): hardware, hours, energy, PUE,
     * intensity and its source, CO2e, embodied, a car-distance equivalent, the method and its sources.
     */
    @GET
    @Path("/{jobId}/report")
    @Produces({MediaType.APPLICATION_JSON, "text/csv", "text/markdown"})
    public Uni<Response> report(@PathParam("jobId") String jobId, @QueryParam("format") String format) {
        String f = format == null ? "json" : format.toLowerCase(Locale.ROOT);
        if (!Set.of("json", "csv", "markdown").contains(f)) {
            throw ProblemException.invalidField("format", "must be json, csv or markdown, was " + format);
        }
        return footprint(jobId).map(fp -> {
            var report = JobReport.of(fp, footprints.job(jobId));
            return switch (f) {
                case "csv" -> Response.ok(report.csv(), "text/csv").build();
                case "markdown" -> Response.ok(report.markdown(), "text/markdown").build();
                default -> Response.ok(report, MediaType.APPLICATION_JSON).build();
            };
        });
    }

    /** {@code GET /footprints/{jobId}/impact}: energy intensity, carbon intensity and embodied share, with the formula. */
    @GET
    @Path("/{jobId}/impact")
    public Uni<ImpactSummary> impact(@PathParam("jobId") String jobId) {
        return footprint(jobId).map(ImpactSummary::of);
    }

    /**
     * {@code GET /footprints/{jobId}/what-if?datacenter=..|zone=..&pue=..}: the job's IT energy charged with another
     * data centre's (current) PUE and zone, or a given PUE and zone, at the zone's static annual intensity.
     */
    @GET
    @Path("/{jobId}/what-if")
    public Uni<WhatIf> whatIf(@PathParam("jobId") String jobId, @QueryParam("datacenter") String dc,
                              @QueryParam("zone") String zone, @QueryParam("pue") BigDecimal pue) {
        if (dc == null && zone == null && pue == null) {
            throw ProblemException.invalidField("zone", "give a datacenter, a zone or a pue to compare with");
        }
        if (pue != null && PueRange.violation(pue) != null) {
            throw ProblemException.invalidField("pue", PueRange.violation(pue));
        }
        return footprint(jobId).map(f -> estimates.whatIf(f, dc, zone, pue));
    }

    /** The running footprint from the state store; for a job the stores no longer hold, its archived final one. */
    @GET
    @Path("/{jobId}")
    public Uni<FootprintEvent> footprint(@PathParam("jobId") String jobId) {
        return footprints.footprint(jobId, caller.tenantsSeen());
    }

    private String jobTenant(String jobId) {
        var job = footprints.job(jobId);
        return job == null ? null : job.tenant();
    }
}
