package io.carbonstream.carbon.rest;

import io.carbonstream.carbon.streams.TopologyProducer;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.RollupEvent;
import io.carbonstream.support.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * Totals per tenant (team) and per model, over every job. An admin sees every roll-up; any other caller its own
 * tenant's: its TENANT roll-up and its TENANT_MODEL roll-ups, which {@code /rollups/models/{model}} answers.
 */
@Path("/rollups")
@Produces(MediaType.APPLICATION_JSON)
@jakarta.annotation.security.RolesAllowed({io.carbonstream.support.Auth.VIEWER, io.carbonstream.support.Auth.TRAINER, io.carbonstream.support.Auth.ADMIN})
public class RollupResource {

    @Inject
    KafkaStreams streams;

    @Inject
    io.carbonstream.support.Caller caller;

    @GET
    public List<RollupEvent> all() {
        var seen = caller.tenantsSeen();
        boolean admin = caller.isAdmin();
        List<RollupEvent> out = new ArrayList<>();
        try (var it = store().all()) {
            it.forEachRemaining(kv -> {
                RollupEvent r = EventJson.decode(kv.value, RollupEvent.class);
                if (admin || (r.kind() != RollupEvent.Kind.MODEL && seen.test(r.tenant()))) {
                    out.add(r);
                }
            });
        }
        out.sort(java.util.Comparator.comparing(RollupEvent::key));
        return out;
    }

    @GET
    @Path("/tenants/{tenant}")
    public RollupEvent tenant(@PathParam("tenant") String tenant) {
        if (!caller.sees(tenant)) {
            throw notFound(RollupEvent.Kind.TENANT, tenant);
        }
        return get(RollupEvent.key(RollupEvent.Kind.TENANT, tenant, tenant), RollupEvent.Kind.TENANT, tenant);
    }

    /** An admin gets the model's totals over every tenant; anyone else over its own tenant's jobs. */
    @GET
    @Path("/models/{model}")
    public RollupEvent model(@PathParam("model") String model) {
        if (caller.isAdmin()) {
            return get(RollupEvent.key(RollupEvent.Kind.MODEL, null, model), RollupEvent.Kind.MODEL, model);
        }
        String own = caller.tenantOrNull();
        if (own == null) {
            throw notFound(RollupEvent.Kind.MODEL, model);
        }
        return get(RollupEvent.key(RollupEvent.Kind.TENANT_MODEL, own, model), RollupEvent.Kind.MODEL, model);
    }

    private RollupEvent get(String key, RollupEvent.Kind kind, String name) {
        byte[] value;
        try {
            value = store().get(key);
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            throw new ProblemException(io.carbonstream.support.Problem.unavailable("roll-ups are being restored; retry shortly"));
        }
        if (value == null) {
            throw notFound(kind, name);
        }
        return EventJson.decode(value, RollupEvent.class);
    }

    private static ProblemException notFound(RollupEvent.Kind kind, String name) {
        return ProblemException.notFound("no " + kind.name().toLowerCase() + " " + name + " has a counted batch");
    }

    private ReadOnlyKeyValueStore<String, byte[]> store() {
        return streams.store(StoreQueryParameters.fromNameAndType(TopologyProducer.ROLLUP_STORE,
                QueryableStoreTypes.keyValueStore()));
    }
}
