package io.carbonstream.carbon.rest;

import io.carbonstream.carbon.query.RollupQueries;
import io.carbonstream.events.RollupEvent;
import io.carbonstream.support.Auth;
import io.carbonstream.support.Caller;
import io.carbonstream.support.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.function.Predicate;

/**
 * Totals per tenant (team) and per model, over every job. An admin sees every roll-up; any other caller its own
 * tenant's: its TENANT roll-up and its TENANT_MODEL roll-ups, which {@code /rollups/models/{model}} answers.
 * Roll-ups are spread over the instances by key: each answer gathers every instance's part ({@link RollupQueries}).
 */
@Path("/rollups")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Auth.VIEWER, Auth.TRAINER, Auth.ADMIN})
public class RollupResource {

    @Inject
    RollupQueries rollups;

    @Inject
    Caller caller;

    @GET
    public Uni<List<RollupEvent>> all(@Context HttpHeaders headers) {
        return rollups.all(shown(), headers);
    }

    @GET
    @Path("/tenants/{tenant}")
    public Uni<RollupEvent> tenant(@PathParam("tenant") String tenant, @Context HttpHeaders headers) {
        if (!caller.sees(tenant)) {
            throw notFound(RollupEvent.Kind.TENANT, tenant);
        }
        return rollups.one(RollupEvent.key(RollupEvent.Kind.TENANT, tenant, tenant), shown(), headers)
                .map(found -> found.orElseThrow(() -> notFound(RollupEvent.Kind.TENANT, tenant)));
    }

    /** An admin gets the model's totals over every tenant; anyone else over its own tenant's jobs. */
    @GET
    @Path("/models/{model}")
    public Uni<RollupEvent> model(@PathParam("model") String model, @Context HttpHeaders headers) {
        String own = caller.tenantOrNull();
        if (!caller.isAdmin() && own == null) {
            throw notFound(RollupEvent.Kind.MODEL, model);
        }
        String key = caller.isAdmin() ? RollupEvent.key(RollupEvent.Kind.MODEL, null, model)
                : RollupEvent.key(RollupEvent.Kind.TENANT_MODEL, own, model);
        return rollups.one(key, shown(), headers).map(found -> found.orElseThrow(() -> notFound(RollupEvent.Kind.MODEL, model)));
    }

    /** The roll-ups this caller may see: an admin every one; anyone else its tenants' (never the MODEL ones). */
    private Predicate<RollupEvent> shown() {
        var seen = caller.tenantsSeen();
        boolean admin = caller.isAdmin();
        return r -> admin || (r.kind() != RollupEvent.Kind.MODEL && seen.test(r.tenant()));
    }

    private static ProblemException notFound(RollupEvent.Kind kind, String name) {
        return ProblemException.notFound("no " + kind.name().toLowerCase() + " " + name + " has a counted batch");
    }
}
