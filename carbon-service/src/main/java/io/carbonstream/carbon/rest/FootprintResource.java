package io.carbonstream.carbon.rest;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.support.ProblemException;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Running footprints, read from carbon-service's own state store (Kafka Streams interactive queries). */
@Path("/footprints")
@Produces(MediaType.APPLICATION_JSON)
@jakarta.annotation.security.RolesAllowed({io.carbonstream.support.Auth.VIEWER, io.carbonstream.support.Auth.TRAINER, io.carbonstream.support.Auth.ADMIN})
public class FootprintResource {

    @Inject
    FootprintUpdates updates;

    @Inject
    io.carbonstream.support.Caller caller;

    @Inject
    io.carbonstream.carbon.query.Queries queries;

    /**
     * {@code GET /footprints/{jobId}/stream}: Server-Sent Events, one JSON footprint per event: the current one
     * first (when the job has one), then every committed update as it happens.
     */
    @GET
    @Path("/{jobId}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @org.jboss.resteasy.reactive.RestStreamElementType(MediaType.APPLICATION_JSON)
    @io.smallrye.common.annotation.Blocking
    public io.smallrye.mutiny.Multi<FootprintEvent> stream(@PathParam("jobId") String jobId,
                                                          @jakarta.ws.rs.core.Context jakarta.ws.rs.core.HttpHeaders headers) {
        FootprintEvent current = currentAnywhere(jobId, headers);
        var seen = caller.tenantsSeen();
        // another tenant's job is refused as one that does not exist; a job not known yet may be followed, and every
        // update is checked against the caller's tenant before it is sent
        String owner = current != null ? current.tenant() : jobTenant(jobId);
        if (owner != null && !seen.test(owner)) {
            throw ProblemException.notFound("no footprint for job " + jobId + " (no batch of it has been counted)");
        }
        // Counted batches only grow: skip any update that is not newer than what this client already has.
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong(current == null ? 0 : current.batches());
        io.smallrye.mutiny.Multi<FootprintEvent> live = updates.of(jobId).filter(f -> seen.test(f.tenant()))
                .filter(f -> f.batches() > sent.get())
                .invoke(f -> sent.set(f.batches()));
        return current == null ? live : io.smallrye.mutiny.Multi.createBy().concatenating().streams(
                io.smallrye.mutiny.Multi.createFrom().item(current), live);
    }

    /**
     * {@code GET /footprints?tenant=&state=&model=&limit=}: the running footprints the caller may see (its tenant's;
     * an admin's: every tenant's, or {@code tenant}'s), newest update first, at most {@code limit} (100, up to
     * 5000). Gathered from every instance: each holds the jobs of its partitions.
     */
    @GET
    @org.eclipse.microprofile.openapi.annotations.Operation(summary = "The footprints of the caller's jobs, newest first")
    public io.smallrye.mutiny.Uni<java.util.List<FootprintEvent>> list(@jakarta.ws.rs.QueryParam("tenant") String tenant,
                                                                     @jakarta.ws.rs.QueryParam("state") String state,
                                                                     @jakarta.ws.rs.QueryParam("model") String model,
                                                                     @jakarta.ws.rs.QueryParam("limit") Integer limit,
                                                                     @jakarta.ws.rs.core.Context jakarta.ws.rs.core.HttpHeaders headers) {
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > 5000) {
            throw ProblemException.invalidField("limit", "must be in 1..5000, was " + limit);
        }
        if (state != null && !io.carbonstream.events.EventValidation.JOB_STATES.contains(state)) {
            throw ProblemException.invalidField("state", io.carbonstream.events.EventValidation.JOB_STATE_RULE);
        }
        var seen = caller.tenantsSeen();
        java.util.function.Predicate<FootprintEvent> shown = f -> seen.test(f.tenant())
                && (tenant == null || tenant.equals(f.tenant())) && (state == null || state.equals(f.jobState()))
                && (model == null || model.equals(f.model()));
        java.util.List<FootprintEvent> out = new java.util.ArrayList<>();
        for (byte[] value : queries.localValues(io.carbonstream.carbon.query.StoreNames.FOOTPRINT_STORE)) {
            FootprintEvent f = EventJson.decode(value, FootprintEvent.class);
            if (shown.test(f)) {
                out.add(f);
            }
        }
        String query = "/footprints?limit=" + max + param("tenant", tenant) + param("state", state) + param("model", model);
        var gathered = queries.fromOthers(io.carbonstream.carbon.query.StoreNames.FOOTPRINT_STORE, query, headers,
                new com.fasterxml.jackson.core.type.TypeReference<java.util.List<FootprintEvent>>() { }, "the footprints");
        return gathered.map(remote -> {
            java.util.Map<String, FootprintEvent> byJob = new java.util.HashMap<>();
            out.forEach(f -> byJob.put(f.jobId(), f));
            remote.forEach(list -> list.stream().filter(shown).forEach(f -> byJob.merge(f.jobId(), f,
                    (a, b) -> a.batches() >= b.batches() ? a : b)));
            return byJob.values().stream()
                    .sorted(java.util.Comparator.comparing(FootprintEvent::updatedAt, java.util.Comparator.nullsLast(
                            java.util.Comparator.reverseOrder())).thenComparing(FootprintEvent::jobId))
                    .limit(max).toList();
        });
    }

    private static String param(String name, String value) {
        return value == null ? "" : "&" + name + "=" + java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** One point of a timeline: what the period added, and the totals at its end. */
    public record TimelinePoint(java.time.Instant from, java.time.Instant to, long batches, java.math.BigDecimal itEnergyJoules,
                                java.math.BigDecimal operationalGCo2e, java.math.BigDecimal embodiedGCo2e,
                                java.math.BigDecimal cumulativeItEnergyJoules, java.math.BigDecimal cumulativeOperationalGCo2e,
                                java.math.BigDecimal cumulativeEmbodiedGCo2e, java.math.BigDecimal facilityEnergyJoules,
                                java.math.BigDecimal cumulativeFacilityEnergyJoules, java.math.BigDecimal averageGCo2ePerKWh) {
    }

    /**
     * {@code GET /footprints/{jobId}/timeline?resolution=PT1M}: the job's footprint over time, by the time batches
     * ran (their midpoints), in periods of {@code resolution} (a whole number of minutes, default 1), oldest first.
     */
    @GET
    @Path("/{jobId}/timeline")
    public java.util.List<TimelinePoint> timeline(@PathParam("jobId") String jobId,
                                                  @jakarta.ws.rs.QueryParam("resolution") String resolution) {
        java.time.Duration step = resolution(resolution);
        byte[] now = read(jobId);
        String owner = now != null ? EventJson.decode(now, FootprintEvent.class).tenant() : jobTenant(jobId);
        if (!caller.sees(owner)) {
            throw ProblemException.notFound("no footprint for job " + jobId + " (no batch of it has been counted)");
        }
        var buckets = new java.util.ArrayList<io.carbonstream.carbon.accounting.TimelineBucket>();
        try (var it = timelineStore(jobId).range(io.carbonstream.carbon.query.StoreNames.timelineFirst(jobId),
                io.carbonstream.carbon.query.StoreNames.timelineLast(jobId))) {
            it.forEachRemaining(kv -> buckets.add(EventJson.decode(kv.value, io.carbonstream.carbon.accounting.TimelineBucket.class)));
        } catch (InvalidStateStoreException e) {
            throw restoring();  // the partition moved while it was read
        }
        if (buckets.isEmpty()) {
            throw ProblemException.notFound("no footprint for job " + jobId + " (no batch of it has been counted)");
        }
        var merged = new java.util.LinkedHashMap<java.time.Instant, io.carbonstream.carbon.accounting.TimelineBucket>();
        long stepSeconds = step.getSeconds();
        for (var b : buckets) {
            var start = java.time.Instant.ofEpochSecond(Math.floorDiv(b.from().getEpochSecond(), stepSeconds) * stepSeconds);
            merged.merge(start, new io.carbonstream.carbon.accounting.TimelineBucket(start, b.batches(), b.tokens(),
                    b.itEnergyJoules(), b.facilityEnergyJoules(), b.carbonIntegral(), b.embodiedIntegral()), (x, y) -> x.plus(y));
        }
        var points = new java.util.ArrayList<TimelinePoint>();
        var total = io.carbonstream.carbon.accounting.TimelineBucket.empty(java.time.Instant.EPOCH);
        for (var b : merged.values()) {
            total = total.plus(b);
            long lifetime = io.carbonstream.carbon.grid.StaticTables.LIFETIME_SECONDS;
            points.add(new TimelinePoint(b.from(), b.from().plus(step), b.batches(), b.itEnergyJoules(),
                    io.carbonstream.carbon.accounting.Carbon.grams(b.carbonIntegral()),
                    io.carbonstream.carbon.accounting.Carbon.embodiedGrams(b.embodiedIntegral(), lifetime),
                    total.itEnergyJoules(), io.carbonstream.carbon.accounting.Carbon.grams(total.carbonIntegral()),
                    io.carbonstream.carbon.accounting.Carbon.embodiedGrams(total.embodiedIntegral(), lifetime),
                    b.facilityEnergyJoules(), total.facilityEnergyJoules(),
                    b.facilityEnergyJoules().signum() == 0 ? null
                            : b.carbonIntegral().divide(b.facilityEnergyJoules(), 3, java.math.RoundingMode.HALF_EVEN)));
        }
        return points;
    }

    private static java.time.Duration resolution(String text) {
        if (text == null || text.isBlank()) {
            return java.time.Duration.ofMinutes(1);
        }
        java.time.Duration d;
        try {
            d = java.time.Duration.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.invalidField("resolution", "\"" + text + "\" is not an ISO-8601 duration such as PT1M or PT1H");
        }
        if (d.isNegative() || d.isZero() || d.toSecondsPart() != 0 || d.toNanosPart() != 0 || d.compareTo(java.time.Duration.ofDays(31)) > 0) {
            throw ProblemException.invalidField("resolution", "must be a whole number of minutes up to 31 days, was " + text);
        }
        return d;
    }

    /** 503 with Retry-After, like every answer while partitions move (Queries.moving). */
    private static ProblemException restoring() {
        return io.carbonstream.carbon.query.Queries.moving("footprints are being restored");
    }

    private ReadOnlyKeyValueStore<String, byte[]> timelineStore(String jobId) {
        return queries.storeForJob(io.carbonstream.carbon.query.StoreNames.TIMELINE_STORE, jobId);
    }

    @Inject
    io.carbonstream.carbon.archive.FootprintArchive archive;

    /**
     * {@code GET /footprints/{jobId}/report?format=json|csv|markdown} (default json): hardware, hours, energy, PUE,
     * intensity and its source, CO2e, embodied, a car-distance equivalent, the method and its sources.
     */
    @GET
    @Path("/{jobId}/report")
    @Produces({MediaType.APPLICATION_JSON, "text/csv", "text/markdown"})
    public io.smallrye.mutiny.Uni<jakarta.ws.rs.core.Response> report(@PathParam("jobId") String jobId,
                                                                       @jakarta.ws.rs.QueryParam("format") String format) {
        String f = format == null ? "json" : format.toLowerCase(java.util.Locale.ROOT);
        if (!java.util.Set.of("json", "csv", "markdown").contains(f)) {
            throw ProblemException.invalidField("format", "must be json, csv or markdown, was " + format);
        }
        return footprint(jobId).map(fp -> {
            var report = io.carbonstream.carbon.report.JobReport.of(fp, job(jobId));
            return switch (f) {
                case "csv" -> jakarta.ws.rs.core.Response.ok(report.csv(), "text/csv").build();
                case "markdown" -> jakarta.ws.rs.core.Response.ok(report.markdown(), "text/markdown").build();
                default -> jakarta.ws.rs.core.Response.ok(report, MediaType.APPLICATION_JSON).build();
            };
        });
    }

    /** {@code GET /footprints/{jobId}/impact}: energy intensity, carbon intensity and embodied share, with the formula. */
    @GET
    @Path("/{jobId}/impact")
    public io.smallrye.mutiny.Uni<io.carbonstream.carbon.report.ImpactSummary> impact(@PathParam("jobId") String jobId) {
        return footprint(jobId).map(io.carbonstream.carbon.report.ImpactSummary::of);
    }

    @Inject
    io.carbonstream.carbon.grid.DatacenterRepository datacenterCatalog;

    @Inject
    io.carbonstream.carbon.grid.StaticTables staticTables;

    /** The job as it ran and as it would have: same IT energy, another PUE and grid intensity. */
    public record WhatIf(String jobId, BigDecimal itEnergyJoules, BigDecimal actualFacilityEnergyJoules,
                         BigDecimal actualOperationalGCo2e, String datacenter, String zone, BigDecimal pue,
                         BigDecimal gCo2ePerKWh, String intensitySource, BigDecimal facilityEnergyJoules,
                         BigDecimal operationalGCo2e, BigDecimal operationalGCo2eDifference) {
    }

    /**
     * {@code GET /footprints/{jobId}/what-if?datacenter=..|zone=..&pue=..}: the job's IT energy charged with another
     * data centre's (current) PUE and zone, or a given PUE and zone, at the zone's static annual intensity.
     */
    @GET
    @Path("/{jobId}/what-if")
    public io.smallrye.mutiny.Uni<WhatIf> whatIf(@PathParam("jobId") String jobId, @jakarta.ws.rs.QueryParam("datacenter") String dc,
                                                 @jakarta.ws.rs.QueryParam("zone") String zone,
                                                 @jakarta.ws.rs.QueryParam("pue") BigDecimal pue) {
        if (dc == null && zone == null && pue == null) {
            throw ProblemException.invalidField("zone", "give a datacenter, a zone or a pue to compare with");
        }
        if (pue != null && io.carbonstream.carbon.grid.PueRange.violation(pue) != null) {
            throw ProblemException.invalidField("pue", io.carbonstream.carbon.grid.PueRange.violation(pue));
        }
        return footprint(jobId).map(f -> {
            var actual = f.lastIntensity();
            var site = dc == null ? null : datacenterCatalog.await(java.time.Duration.ofSeconds(30)).at(dc, java.time.Instant.now())
                    .orElseThrow(() -> ProblemException.invalidField("datacenter", "unknown data centre " + dc));
            String z = zone != null ? zone : site != null ? site.zone() : actual.zone();
            BigDecimal p = pue != null ? pue : site != null ? site.pue() : actual.pue();
            BigDecimal intensity = staticTables.annualIntensity(z).orElseThrow(() ->
                    ProblemException.invalidField("zone", "no static intensity for zone " + z));
            BigDecimal it = f.itEnergyJoules().total();
            BigDecimal facility = io.carbonstream.carbon.accounting.Carbon.facilityJoules(it, p);
            BigDecimal grams = io.carbonstream.carbon.accounting.Carbon.grams(
                    io.carbonstream.carbon.accounting.Carbon.carbonIntegral(facility, intensity));
            return new WhatIf(jobId, it, f.facilityEnergyJoules(), f.operationalGCo2e(), site == null ? null : site.id(), z, p,
                    intensity, "STATIC_TABLE annual average of " + z, facility, grams, grams.subtract(f.operationalGCo2e()));
        });
    }

    /**
     * The job's footprint for the first event of a stream: from this instance's store, or from the instance that
     * owns the job (which answers 404 alike for a job not counted yet and for another tenant's: the stream then
     * opens, and its tenant filter keeps every other tenant's update out).
     */
    private FootprintEvent currentAnywhere(String jobId, jakarta.ws.rs.core.HttpHeaders headers) {
        var owner = queries.ownerOfJob(jobId);
        if (owner instanceof io.carbonstream.carbon.query.Queries.Here) {
            byte[] now = read(jobId);
            return now == null ? null : EventJson.decode(now, FootprintEvent.class);
        }
        var host = ((io.carbonstream.carbon.query.Queries.There) owner).host();
        try {
            var answer = queries.ask(host, "/footprints/" + java.net.URLEncoder.encode(jobId, java.nio.charset.StandardCharsets.UTF_8)
                            .replace("+", "%20"), java.util.Map.of(jakarta.ws.rs.core.HttpHeaders.AUTHORIZATION,
                            String.valueOf(headers.getHeaderString(jakarta.ws.rs.core.HttpHeaders.AUTHORIZATION))))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            if (answer.statusCode() == 404) {
                return null;
            }
            if (answer.statusCode() != 200) {
                throw io.carbonstream.carbon.query.Queries.moving("the owner of job " + jobId + " answered " + answer.statusCode());
            }
            return EventJson.decode(answer.body(), FootprintEvent.class);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw io.carbonstream.carbon.query.Queries.moving("the owner of job " + jobId + " does not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw io.carbonstream.carbon.query.Queries.moving("interrupted");
        }
    }

    private String jobTenant(String jobId) {
        var job = job(jobId);
        return job == null ? null : job.tenant();
    }

    private io.carbonstream.events.JobEvent job(String jobId) {
        try {
            byte[] value = queries.storeForJob(io.carbonstream.carbon.query.StoreNames.JOB_STORE, jobId).get(jobId);
            return value == null ? null : EventJson.decode(value, io.carbonstream.events.JobEvent.class);
        } catch (ProblemException | InvalidStateStoreException e) {
            return null;
        }
    }

    /** The running footprint from the state store; for a job the stores no longer hold, its archived final one. */
    @GET
    @Path("/{jobId}")
    public io.smallrye.mutiny.Uni<FootprintEvent> footprint(@PathParam("jobId") String jobId) {
        var seen = caller.tenantsSeen();
        byte[] value = read(jobId);
        if (value != null) {
            FootprintEvent f = EventJson.decode(value, FootprintEvent.class);
            if (seen.test(f.tenant())) {
                return io.smallrye.mutiny.Uni.createFrom().item(f);
            }
            throw ProblemException.notFound("no footprint for job " + jobId + " (no batch of it has been counted)");
        }
        // another tenant's footprint is answered exactly as one that does not exist
        return archive.find(jobId).map(archived -> archived.filter(f -> seen.test(f.tenant())).orElseThrow(() ->
                ProblemException.notFound("no footprint for job " + jobId + " (no batch of it has been counted)")));
    }

    private byte[] read(String jobId) {
        try {
            return queries.storeForJob(io.carbonstream.carbon.query.StoreNames.FOOTPRINT_STORE, jobId).get(jobId);
        } catch (InvalidStateStoreException e) {
            throw restoring();
        }
    }
}
