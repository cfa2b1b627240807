package io.carbonstream.telemetry.rest;

import io.carbonstream.support.Problem;
import io.carbonstream.support.ProblemException;
import io.carbonstream.telemetry.catalog.CatalogRepository;
import io.carbonstream.telemetry.catalog.CatalogService;
import io.carbonstream.telemetry.catalog.ProfileRequest;
import io.carbonstream.telemetry.catalog.ProfileView;
import io.carbonstream.telemetry.power.HardwareKind;
import io.carbonstream.telemetry.power.HardwareProfile;
import io.carbonstream.telemetry.power.NoPowerModelException;
import io.carbonstream.telemetry.power.PowerPoint;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;

/** The hardware catalog: profiles, their versions, their power at a utilisation, and calibration. */
@Path("/hardware")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@jakarta.annotation.security.RolesAllowed({io.carbonstream.support.Auth.VIEWER, io.carbonstream.support.Auth.TRAINER, io.carbonstream.support.Auth.ADMIN})
public class HardwareResource {

    @Inject
    CatalogService catalog;

    @Inject
    CatalogRepository applied;

    /**
     * Power of one device (or vCPU, GB, node) of a profile at a utilisation, and the relative range a batch at that
     * reported utilisation is charged with (the profile's tolerance; kept within idle..max as well).
     */
    public record PowerAt(String id, int version, BigDecimal utilization, BigDecimal watts, BigDecimal tolerance) {
    }

    /**
     * Body of a calibration: measured samples, how they were measured, and the instrument's relative accuracy
     * (0..1, optional: 0.05, NVML's, when absent).
     */
    public record Calibration(List<PowerPoint> samples, String source, BigDecimal accuracy) {
    }

    @GET
    public Uni<List<ProfileView>> list(@QueryParam("includeRetired") @DefaultValue("false") boolean includeRetired) {
        return catalog.list(includeRetired);
    }

    @GET
    @Path("/{id}")
    public Uni<ProfileView> get(@PathParam("id") String id) {
        return catalog.current(id);
    }

    @GET
    @Path("/{id}/versions")
    public Uni<List<ProfileView>> versions(@PathParam("id") String id) {
        return catalog.versions(id);
    }

    @POST
    @jakarta.annotation.security.RolesAllowed(io.carbonstream.support.Auth.ADMIN)
    public Uni<Response> create(ProfileRequest request) {
        return catalog.create(request).call(applied::refresh)
                .map(p -> Response.created(URI.create("/hardware/" + p.id())).entity(p).build());
    }

    @PUT
    @jakarta.annotation.security.RolesAllowed(io.carbonstream.support.Auth.ADMIN)
    @Path("/{id}")
    public Uni<ProfileView> update(@PathParam("id") String id, ProfileRequest request) {
        return catalog.update(id, request).call(applied::refresh);
    }

    /** Retires a profile (a new, retired version). */
    @DELETE
    @jakarta.annotation.security.RolesAllowed(io.carbonstream.support.Auth.ADMIN)
    @Path("/{id}")
    public Uni<ProfileView> retire(@PathParam("id") String id) {
        return catalog.retire(id).call(applied::refresh);
    }

    @POST
    @jakarta.annotation.security.RolesAllowed(io.carbonstream.support.Auth.ADMIN)
    @Path("/{id}/calibration")
    public Uni<ProfileView> calibrate(@PathParam("id") String id, Calibration calibration) {
        if (calibration == null) {
            throw ProblemException.invalidField(null, "the request body is empty");
        }
        return catalog.calibrate(id, calibration.samples(), calibration.source(), calibration.accuracy()).call(applied::refresh);
    }

    /**
     * {@code GET /hardware/{id}/power?utilization=0.5}: what the current version draws at that utilisation; 409
     * (/problems/no-power-model) for a profile without power figures.
     */
    @GET
    @Path("/{id}/power")
    public Uni<PowerAt> power(@PathParam("id") String id, @QueryParam("utilization") String utilization) {
        BigDecimal u = parseUtilization(utilization);
        return catalog.current(id).map(v -> {
            if (v.retired()) {
                throw ProblemException.notFound("hardware profile " + id + " is retired");
            }
            HardwareProfile p = new HardwareProfile(v.id(), v.version(), HardwareKind.valueOf(v.kind()), v.name(),
                    v.idleWatts(), v.maxWatts(), v.curve(), v.sources(), v.tolerance());
            try {
                return new PowerAt(p.id(), p.version(), u, p.wattsAt(u), p.modelTolerance());
            } catch (NoPowerModelException e) {
                throw new ProblemException(new Problem("/problems/no-power-model", "No power model", 409,
                        e.getMessage(), null, List.of()));
            }
        });
    }

    static BigDecimal parseUtilization(String text) {
        if (text == null || text.isBlank()) {
            throw ProblemException.invalidField("utilization", "is required (a number in 0..1)");
        }
        BigDecimal u;
        try {
            u = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("utilization", "\"" + text + "\" is not a number");
        }
        if (u.signum() < 0 || u.compareTo(BigDecimal.ONE) > 0) {
            throw ProblemException.invalidField("utilization", "must be in 0..1, was " + text);
        }
        return u;
    }
}
