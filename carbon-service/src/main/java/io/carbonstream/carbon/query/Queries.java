package io.carbonstream.carbon.query;

import com.fasterxml.jackson.databind.JavaType;
import io.carbonstream.events.EventJson;
import io.carbonstream.support.Problem;
import io.carbonstream.support.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Where carbon-service's state lives, and reading it wherever it is. A job's footprint, timeline and description
 * live in the partition of its id, on the one instance that owns it (Kafka Streams' {@code queryMetadataForKey});
 * roll-ups are spread over every instance by roll-up key. With {@code kafka-streams.application.server} set, every
 * instance answers every query: from its own stores for what it owns, by asking the owner for the rest, and for
 * roll-ups by gathering every instance's part. While a partition moves (a rebalance), the answer is 503 with
 * {@code Retry-After}, never a wrong or partial figure. Without it, the instance is alone and owns everything.
 */
@ApplicationScoped
public class Queries {

    /** Marks a request one instance sends another: answer it from your own stores, never pass it on. */
    public static final String FORWARDED = "X-Carbonstream-Forwarded";
    /** The instance whose stores answered a query about a job (host:port, as it advertises itself). */
    public static final String INSTANCE = "X-Carbonstream-Instance";
    /** Seconds a client is told to wait while partitions move. */
    public static final String RETRY_SECONDS = "1";

    @Inject
    KafkaStreams streams;

    @ConfigProperty(name = "kafka-streams.application.server")
    Optional<String> applicationServer;

    @ConfigProperty(name = "carbonstream.query.timeout", defaultValue = "PT10S")
    Duration timeout;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Whether this instance may share its partitions with others (it advertises where it can be reached). */
    public boolean distributed() {
        return applicationServer.isPresent() && !applicationServer.get().isBlank();
    }

    public HostInfo self() {
        return HostInfo.buildFromEndpoint(applicationServer.orElseThrow());
    }

    /** Where a job's state is: here, or on another instance. */
    public sealed interface Owner permits Here, There {
    }

    public record Here() implements Owner {
    }

    public record There(HostInfo host) implements Owner {
    }

    /** The instance that owns a job's partition; 503 while no instance does (a rebalance). */
    public Owner ownerOfJob(String jobId) {
        if (!distributed()) {
            return new Here();
        }
        requireRunning();
        KeyQueryMetadata md = streams.queryMetadataForKey(StoreNames.FOOTPRINT_STORE, jobId, Serdes.String().serializer());
        if (md == null || KeyQueryMetadata.NOT_AVAILABLE.equals(md) || md.activeHost() == null) {
            throw moving("the partition of job " + jobId + " has no owner right now");
        }
        return md.activeHost().equals(self()) ? new Here() : new There(md.activeHost());
    }

    /**
     * The partition of a store that holds a job's state, on this instance. Alone, every local partition; shared, the
     * job's own partition only, so that a partition still restoring here answers 503 instead of "no such job".
     */
    public ReadOnlyKeyValueStore<String, byte[]> storeForJob(String store, String jobId) {
        if (!distributed()) {
            return local(store);
        }
        requireRunning();
        KeyQueryMetadata md = streams.queryMetadataForKey(StoreNames.FOOTPRINT_STORE, jobId, Serdes.String().serializer());
        if (md == null || KeyQueryMetadata.NOT_AVAILABLE.equals(md) || md.activeHost() == null
                || !md.activeHost().equals(self())) {
            throw moving("job " + jobId + " is moving between instances");
        }
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, byte[]>keyValueStore())
                    .withPartition(md.partition()));
        } catch (InvalidStateStoreException e) {
            throw moving("the partition of job " + jobId + " is being restored");
        }
    }

    /** A local store of this instance (every partition it owns); 503 while it restores. */
    public ReadOnlyKeyValueStore<String, byte[]> local(String store) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw moving("the stores are being restored");
        }
    }

    /**
     * Every other instance that holds an active part of a store, as this instance's metadata lists them (an instance
     * with a standby copy only is not asked: its copy is not its to answer for).
     */
    public List<HostInfo> othersWith(String store) {
        if (!distributed()) {
            return List.of();
        }
        requireRunning();
        HostInfo self = self();
        List<HostInfo> others = new ArrayList<>();
        for (StreamsMetadata md : streams.streamsMetadataForStore(store)) {
            if (!md.hostInfo().equals(self) && md.stateStoreNames().contains(store)) {
                others.add(md.hostInfo());
            }
        }
        return others;
    }

    /**
     * This instance's active part of a store, as a list of its values decoded as {@code type}; empty when it holds
     * no active partition of it (a standby copy at most); 503 while it is not running or the store is moving.
     */
    public <T> List<T> localValues(String store, Class<T> type) {
        if (distributed()) {
            requireRunning();
            HostInfo self = self();
            boolean active = streams.streamsMetadataForStore(store).stream()
                    .anyMatch(md -> md.hostInfo().equals(self) && md.stateStoreNames().contains(store));
            if (!active) {
                return List.of();
            }
        }
        List<T> values = new ArrayList<>();
        try (var it = local(store).all()) {
            it.forEachRemaining(kv -> values.add(EventJson.decode(kv.value, type)));
        } catch (InvalidStateStoreException e) {
            throw moving("the " + store + " store is moving");
        }
        return values;
    }

    /** A value of a job's partition of a store on this instance, decoded; empty when there is none (see storeForJob). */
    public <T> Optional<T> forJob(String store, String jobId, String key, Class<T> type) {
        byte[] value;
        try {
            value = storeForJob(store, jobId).get(key);
        } catch (InvalidStateStoreException e) {
            throw moving("the partition of job " + jobId + " is being restored");
        }
        return value == null ? Optional.empty() : Optional.of(EventJson.decode(value, type));
    }

    /** The answer of another instance to the same GET, with the caller's credentials; 503 when it cannot be asked. */
    public CompletableFuture<HttpResponse<byte[]>> ask(HostInfo host, String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
                .timeout(timeout).header(FORWARDED, applicationServer.orElse("?")).GET();
        headers.forEach((name, value) -> {
            if (value != null) {
                request.header(name, value);
            }
        });
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Where a GET about a job is answered: {@link Here} from this instance's stores, or {@link There} by the owner
     * of the job's partition. 503 while no instance owns it, and for a request another instance forwarded (it is
     * answered here or not at all: never passed on again).
     */
    public Owner route(String jobId, boolean forwarded) {
        Owner owner = ownerOfJob(jobId);
        if (owner instanceof There && forwarded) {
            throw moving("job " + jobId + " is moving to another instance");
        }
        return owner;
    }

    /** The owner's answer to the same GET about a job, with the caller's credentials; 503 when it does not answer. */
    public Uni<HttpResponse<byte[]>> askOwner(There owner, String jobId, String pathAndQuery, Map<String, String> headers) {
        HostInfo host = owner.host();
        return Uni.createFrom().completionStage(() -> ask(host, pathAndQuery, headers))
                .onFailure().transform(unreachable -> moving("the instance that owns job " + jobId + " ("
                        + host.host() + ":" + host.port() + ") does not answer"));
    }

    /**
     * A store spread over the instances, gathered: this instance's part and what every other instance holding an
     * active part of {@code store} answers to {@code pathAndQuery} (a JSON list of {@code type}, asked with the
     * caller's credentials; not asked when the request being answered was itself forwarded by an instance), the
     * values {@code shown} only, one per {@code key} ({@code merge} chooses between two copies of one key, as while a
     * partition moves). Fails with 503 when one of the instances cannot answer, so a gathered answer is never
     * silently partial.
     *
     * @param what what the lists hold, for the 503's detail ("the roll-ups")
     */
    public <T> Uni<Collection<T>> gather(String store, Class<T> type, String pathAndQuery, HttpHeaders headers, String what,
                                         Predicate<T> shown, Function<T, String> key, BinaryOperator<T> merge) {
        Map<String, T> byKey = new LinkedHashMap<>();
        for (T value : localValues(store, type)) {
            if (shown.test(value)) {
                byKey.merge(key.apply(value), value, merge);
            }
        }
        List<HostInfo> others = headers.getHeaderString(FORWARDED) != null ? List.of() : othersWith(store);
        if (others.isEmpty()) {
            return Uni.createFrom().item(byKey.values());
        }
        JavaType listType = EventJson.mapper().getTypeFactory().constructCollectionType(List.class, type);
        Map<String, String> auth = Map.of(HttpHeaders.AUTHORIZATION, String.valueOf(headers.getHeaderString(HttpHeaders.AUTHORIZATION)));
        List<Uni<List<T>>> parts = new ArrayList<>();
        for (HostInfo host : others) {
            parts.add(Uni.createFrom().completionStage(() -> ask(host, pathAndQuery, auth))
                    .map(answer -> {
                        if (answer.statusCode() != 200) {
                            throw moving(what + " of " + host.host() + ":" + host.port() + " are not available (HTTP "
                                    + answer.statusCode() + ")");
                        }
                        try {
                            return EventJson.mapper().<List<T>>readValue(answer.body(), listType);
                        } catch (IOException e) {
                            throw moving(what + " of " + host.host() + ":" + host.port() + " could not be read");
                        }
                    })
                    .onFailure(t -> !(t instanceof ProblemException)).transform(t -> moving(
                            "the instance " + host.host() + ":" + host.port() + " does not answer")));
        }
        return Uni.join().all(parts).andFailFast().map(remote -> {
            remote.forEach(list -> list.stream().filter(shown).forEach(v -> byKey.merge(key.apply(v), v, merge)));
            return byKey.values();
        });
    }

    /** 503 with Retry-After: partitions are moving or restoring; the same request will be answered shortly. */
    public static ProblemException moving(String why) {
        return new ProblemException(Problem.unavailable(why + "; retry in " + RETRY_SECONDS + " s"),
                Map.of("Retry-After", RETRY_SECONDS));
    }

    private void requireRunning() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw moving("carbon-service is " + streams.state().name().toLowerCase() + " (partitions are moving)");
        }
    }
}
