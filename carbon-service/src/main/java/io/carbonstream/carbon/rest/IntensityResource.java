package io.carbonstream.carbon.rest;

import io.carbonstream.carbon.grid.IntensityPublisher;
import io.carbonstream.carbon.grid.IntensityTimeline;
import io.carbonstream.carbon.grid.ManualObservation;
import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.GridIntensityEvent;
import io.carbonstream.support.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Grid carbon intensity per zone: what applies at a time, its history, and observations entered by hand. */
@Path("/intensity")
@Produces(MediaType.APPLICATION_JSON)
@jakarta.annotation.security.RolesAllowed({io.carbonstream.support.Auth.VIEWER, io.carbonstream.support.Auth.TRAINER, io.carbonstream.support.Auth.ADMIN})
public class IntensityResource {

    @Inject
    io.carbonstream.carbon.query.Queries queries;

    @Inject
    StaticTables tables;

    @Inject
    IntensityPublisher publisher;

    /** The intensity carbon-service applies to a batch in {@code zone} at {@code at}, and where it comes from. */
    public record Applied(String zone, Instant at, GridIntensityEvent observation, boolean fallback) {
    }

    @Inject
    io.carbonstream.carbon.providers.ProviderService providers;

    /** {@code GET /intensity/providers}: each polled provider and zone, UP or DOWN, and whether the static table covers for it. */
    @GET
    @Path("/providers")
    public List<io.carbonstream.carbon.providers.IntensityPoller.Status> providers() {
        return providers.status();
    }

    @Inject
    io.carbonstream.carbon.advice.AdviceService advice;

    /**
     * {@code GET /intensity/{zone}/best-window?hours=4&from=..&to=..&energyKWh=..}: the start in [from, to] (default:
     * now to 24 h on) whose {@code hours} have the lowest average intensity, and the CO2e saved against starting at
     * {@code from}.
     */
    @GET
    @Path("/{zone}/best-window")
    public io.carbonstream.carbon.advice.AdviceService.BestWindow bestWindow(@PathParam("zone") String zone,
            @QueryParam("hours") java.math.BigDecimal hours, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("energyKWh") java.math.BigDecimal energyKWh) {
        Duration length = length(hours);
        Instant start = from == null ? Instant.now() : instant("from", from);
        Instant end = to == null ? start.plus(Duration.ofDays(1)) : instant("to", to);
        if (energyKWh != null && energyKWh.signum() < 0) {
            throw ProblemException.invalidField("energyKWh", "must be >= 0");
        }
        return advice.bestWindow(zone, length, start, end, energyKWh);
    }

    /** {@code GET /intensity/best-zone?zones=DE,FR,SE&hours=4&at=..}: the zones ranked by average intensity over the window. */
    @GET
    @Path("/best-zone")
    public List<io.carbonstream.carbon.advice.AdviceService.Window> bestZone(@QueryParam("zones") String zones,
            @QueryParam("hours") java.math.BigDecimal hours, @QueryParam("at") String at) {
        if (zones == null || zones.isBlank()) {
            throw ProblemException.invalidField("zones", "is required: candidate zones, comma-separated");
        }
        List<String> candidates = java.util.Arrays.stream(zones.split(",")).map(String::trim).filter(z -> !z.isEmpty()).toList();
        if (candidates.size() > 100) {
            throw ProblemException.invalidField("zones", "at most 100 candidates");
        }
        return advice.bestZones(candidates, at == null ? Instant.now() : instant("at", at), length(hours));
    }

    private static Duration length(java.math.BigDecimal hours) {
        if (hours == null || hours.signum() <= 0 || hours.compareTo(java.math.BigDecimal.valueOf(24 * 31)) > 0) {
            throw ProblemException.invalidField("hours", "is required: the job's length in hours, in (0, 744]");
        }
        return Duration.ofMillis(hours.multiply(java.math.BigDecimal.valueOf(3_600_000)).longValue());
    }

    /** {@code GET /intensity/{zone}?at=2026-01-01T12:00:00Z} (default now). */
    @GET
    @Path("/{zone}")
    public Applied at(@PathParam("zone") String zone, @QueryParam("at") String at) {
        Instant when = at == null ? Instant.now() : instant("at", at);
        return IntensityTimeline.find(timeline(), zone, when)
                .map(g -> new Applied(zone, when, g, false))
                .orElseGet(() -> new Applied(zone, when, new GridIntensityEvent(GridIntensityEvent.SCHEMA_VERSION, zone,
                        null, null, tables.annualIntensity(zone).orElseThrow(() -> ProblemException.notFound(
                                "no observation of zone " + zone + " at " + when + ", and no static value for it")),
                        GridIntensityEvent.Signal.AVERAGE, GridIntensityEvent.Source.STATIC_TABLE, true, false), true));
    }

    /** {@code GET /intensity/{zone}/history?from=..&to=..}: observations starting in [from, to] (default: the last day). */
    @GET
    @Path("/{zone}/history")
    public List<GridIntensityEvent> history(@PathParam("zone") String zone, @QueryParam("from") String from,
                                            @QueryParam("to") String to) {
        Instant end = to == null ? Instant.now() : instant("to", to);
        Instant start = from == null ? end.minus(Duration.ofDays(1)) : instant("from", from);
        if (start.isAfter(end)) {
            throw ProblemException.invalidField("from", "must not be after to");
        }
        return IntensityTimeline.history(timeline(), zone, start, end);
    }

    /** Records an observation entered by hand; it is applied to batches of its interval from now on. */
    @POST
    @jakarta.annotation.security.RolesAllowed(io.carbonstream.support.Auth.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> observe(ManualObservation observation) {
        if (observation == null) {
            throw ProblemException.invalidField(null, "the request body is empty");
        }
        var violations = observation.validate();
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        GridIntensityEvent event = observation.toEvent();
        return publisher.publish(event).replaceWith(Response.accepted(event).build());
    }

    private ReadOnlyKeyValueStore<String, byte[]> timeline() {
        return queries.local(io.carbonstream.carbon.query.StoreNames.INTENSITY_STORE);
    }

    private static Instant instant(String field, String text) {
        return io.carbonstream.support.Params.instant(field, text);
    }
}
