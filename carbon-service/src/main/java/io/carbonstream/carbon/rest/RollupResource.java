package io.carbonstream.carbon.rest;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.RollupEvent;
import io.carbonstream.support.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;

/**
 * Totals per tenant (team) and per model, over every job. An admin sees every roll-up; any other caller its own
 * tenant's: its TENANT roll-up and its TENANT_MODEL roll-ups, which {@code /rollups/models/{model}} answers.
 * Roll-ups are spread over the instances by key: each answer gathers every instance's part (Queries).
 */
@Path("/rollups")
@Produces(MediaType.APPLICATION_JSON)
@jakarta.annotation.security.RolesAllowed({io.carbonstream.support.Auth.VIEWER, io.carbonstream.support.Auth.TRAINER, io.carbonstream.support.Auth.ADMIN})
public class RollupResource {

    @Inject
    io.carbonstream.carbon.query.Queries queries;

    @Inject
    io.carbonstream.support.Caller caller;

    @GET
    public io.smallrye.mutiny.Uni<List<RollupEvent>> all(@jakarta.ws.rs.core.Context jakarta.ws.rs.core.HttpHeaders headers) {
        return visible(headers);
    }

    @GET
    @Path("/tenants/{tenant}")
    public io.smallrye.mutiny.Uni<RollupEvent> tenant(@PathParam("tenant") String tenant,
                                                      @jakarta.ws.rs.core.Context jakarta.ws.rs.core.HttpHeaders headers) {
        if (!caller.sees(tenant)) {
            throw notFound(RollupEvent.Kind.TENANT, tenant);
        }
        String key = RollupEvent.key(RollupEvent.Kind.TENANT, tenant, tenant);
        return visible(headers).map(all -> find(all, key).orElseThrow(() -> notFound(RollupEvent.Kind.TENANT, tenant)));
    }

    /** An admin gets the model's totals over every tenant; anyone else over its own tenant's jobs. */
    @GET
    @Path("/models/{model}")
    public io.smallrye.mutiny.Uni<RollupEvent> model(@PathParam("model") String model,
                                                     @jakarta.ws.rs.core.Context jakarta.ws.rs.core.HttpHeaders headers) {
        String own = caller.tenantOrNull();
        if (!caller.isAdmin() && own == null) {
            throw notFound(RollupEvent.Kind.MODEL, model);
        }
        String key = caller.isAdmin() ? RollupEvent.key(RollupEvent.Kind.MODEL, null, model)
                : RollupEvent.key(RollupEvent.Kind.TENANT_MODEL, own, model);
        return visible(headers).map(all -> find(all, key).orElseThrow(() -> notFound(RollupEvent.Kind.MODEL, model)));
    }

    /** Every roll-up this caller may see: this instance's part, and, unless another instance asked, every other's. */
    private io.smallrye.mutiny.Uni<List<RollupEvent>> visible(jakarta.ws.rs.core.HttpHeaders headers) {
        var seen = caller.tenantsSeen();
        boolean admin = caller.isAdmin();
        java.util.function.Predicate<RollupEvent> shown = r -> admin
                || (r.kind() != RollupEvent.Kind.MODEL && seen.test(r.tenant()));
        List<RollupEvent> out = new ArrayList<>();
        for (byte[] value : queries.localValues(io.carbonstream.carbon.query.StoreNames.ROLLUP_STORE)) {
            RollupEvent r = EventJson.decode(value, RollupEvent.class);
            if (shown.test(r)) {
                out.add(r);
            }
        }
        var gathered = queries.fromOthers(io.carbonstream.carbon.query.StoreNames.ROLLUP_STORE, "/rollups", headers,
                new com.fasterxml.jackson.core.type.TypeReference<List<RollupEvent>>() { }, "the roll-ups");
        return gathered.map(remote -> {
            java.util.Map<String, RollupEvent> byKey = new java.util.TreeMap<>();
            out.forEach(r -> byKey.put(r.key(), r));
            remote.forEach(list -> list.stream().filter(shown).forEach(r -> byKey.put(r.key(), r)));
            return List.copyOf(byKey.values());
        });
    }

    private static java.util.Optional<RollupEvent> find(List<RollupEvent> all, String key) {
        return all.stream().filter(r -> r.key().equals(key)).findFirst();
    }

    private static ProblemException notFound(RollupEvent.Kind kind, String name) {
        return ProblemException.notFound("no " + kind.name().toLowerCase() + " " + name + " has a counted batch");
    }
}
