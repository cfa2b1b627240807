package io.carbonstream.carbon.rest;

import io.carbonstream.carbon.streams.TopologyProducer;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.support.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Running footprints, read from carbon-service's own state store (Kafka Streams interactive queries). */
@Path("/footprints")
@Produces(MediaType.APPLICATION_JSON)
public class FootprintResource {

    @Inject
    KafkaStreams streams;

    @Inject
    FootprintUpdates updates;

    /**
     * {@code GET /footprints/{jobId}/stream}: Server-Sent Events, one JSON footprint per event: the current one
     * first (when the job has one), then every committed update as it happens.
     */
    @GET
    @Path("/{jobId}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @org.jboss.resteasy.reactive.RestStreamElementType(MediaType.APPLICATION_JSON)
    public io.smallrye.mutiny.Multi<FootprintEvent> stream(@PathParam("jobId") String jobId) {
        byte[] now = read(jobId);
        FootprintEvent current = now == null ? null : EventJson.decode(now, FootprintEvent.class);
        // Counted batches only grow: skip any update that is not newer than what this client already has.
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong(current == null ? 0 : current.batches());
        io.smallrye.mutiny.Multi<FootprintEvent> live = updates.of(jobId).filter(f -> f.batches() > sent.get())
                .invoke(f -> sent.set(f.batches()));
        return current == null ? live : io.smallrye.mutiny.Multi.createBy().concatenating().streams(
                io.smallrye.mutiny.Multi.createFrom().item(current), live);
    }

    @GET
    @Path("/{jobId}")
    public FootprintEvent footprint(@PathParam("jobId") String jobId) {
        byte[] value = read(jobId);
        if (value == null) {
            throw ProblemException.notFound("no footprint for job " + jobId + " (no batch of it has been counted)");
        }
        return EventJson.decode(value, FootprintEvent.class);
    }

    private byte[] read(String jobId) {
        try {
            ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                    TopologyProducer.FOOTPRINT_STORE, QueryableStoreTypes.keyValueStore()));
            return store.get(jobId);
        } catch (InvalidStateStoreException e) {
            throw new ProblemException(new io.carbonstream.support.Problem("/problems/unavailable", "Unavailable", 503,
                    "footprints are being restored; retry shortly", null, java.util.List.of()));
        }
    }
}
