package io.carbonstream.telemetry.rest;

import io.carbonstream.support.ProblemException;
import io.carbonstream.telemetry.catalog.CatalogRepository;
import io.carbonstream.telemetry.power.HardwareProfile;
import io.carbonstream.telemetry.power.PowerCatalog;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.math.BigDecimal;
import java.util.List;

/** The hardware catalog as it is applied to new batches. */
@Path("/hardware")
@Produces(MediaType.APPLICATION_JSON)
public class HardwareResource {

    @Inject
    CatalogRepository repository;

    /** Power of one device of a profile at a utilisation. */
    public record PowerAt(String id, int version, BigDecimal utilization, BigDecimal watts) {
    }

    @GET
    public Uni<List<HardwareProfile>> list() {
        return repository.refresh().map(PowerCatalog::all);
    }

    @GET
    @Path("/{id}")
    public Uni<HardwareProfile> get(@PathParam("id") String id) {
        return repository.refresh().map(catalog -> profile(catalog, id));
    }

    /** {@code GET /hardware/{id}/power?utilization=0.5}: what one device draws at that utilisation. */
    @GET
    @Path("/{id}/power")
    public Uni<PowerAt> power(@PathParam("id") String id, @QueryParam("utilization") String utilization) {
        BigDecimal u = parseUtilization(utilization);
        return repository.refresh().map(catalog -> {
            HardwareProfile p = profile(catalog, id);
            return new PowerAt(p.id(), p.version(), u, p.wattsAt(u));
        });
    }

    private static HardwareProfile profile(PowerCatalog catalog, String id) {
        return catalog.find(id).orElseThrow(() -> ProblemException.notFound("no hardware profile " + id));
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
