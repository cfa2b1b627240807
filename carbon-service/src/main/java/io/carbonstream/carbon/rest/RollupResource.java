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

/** Totals per tenant (team) and per model, over every job. */
@Path("/rollups")
@Produces(MediaType.APPLICATION_JSON)
public class RollupResource {

    @Inject
    KafkaStreams streams;

    @GET
    public List<RollupEvent> all() {
        List<RollupEvent> out = new ArrayList<>();
        try (var it = store().all()) {
            it.forEachRemaining(kv -> out.add(EventJson.decode(kv.value, RollupEvent.class)));
        }
        out.sort(java.util.Comparator.comparing(RollupEvent::key));
        return out;
    }

    @GET
    @Path("/tenants/{tenant}")
    public RollupEvent tenant(@PathParam("tenant") String tenant) {
        return get(RollupEvent.Kind.TENANT, tenant);
    }

    @GET
    @Path("/models/{model}")
    public RollupEvent model(@PathParam("model") String model) {
        return get(RollupEvent.Kind.MODEL, model);
    }

    private RollupEvent get(RollupEvent.Kind kind, String name) {
        byte[] value = store().get(kind + "|" + name);
        if (value == null) {
            throw ProblemException.notFound("no " + kind.name().toLowerCase() + " " + name + " has a counted batch");
        }
        return EventJson.decode(value, RollupEvent.class);
    }

    private ReadOnlyKeyValueStore<String, byte[]> store() {
        return streams.store(StoreQueryParameters.fromNameAndType(TopologyProducer.ROLLUP_STORE,
                QueryableStoreTypes.keyValueStore()));
    }
}
