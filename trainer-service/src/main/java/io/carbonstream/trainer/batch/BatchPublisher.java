package io.carbonstream.trainer.batch;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends batch events to {@code training.batches}, keyed by job id, and completes only when Kafka has
 * acknowledged every one of them (acks=all, idempotent producer): an accepted batch is never lost.
 *
 * <p>The records of one call go to the channel's producer ({@code mp.messaging.outgoing.training-batches.*}) in one
 * hop to its sending thread, each with a callback, and the call completes on the caller's Vert.x context once the
 * last is acknowledged: one message per record through the emitter cost about a quarter of the event loop's time
 * in arrays of 1000 reports (docs/performance.md). The emitter stays injected so that the channel, its producer and
 * its health check exist. What the channel's sink would add per message is not used here: its own retries after
 * the producer's (the producer retries until {@code delivery.timeout.ms}), its log line per failed record (a failed
 * request is logged once, with its 500) and its interceptor beans (trainer-service has none).
 */
@ApplicationScoped
public class BatchPublisher {

    static final String CHANNEL = "training-batches";

    @Channel(CHANNEL)
    MutinyEmitter<byte[]> emitter;

    @Inject
    KafkaClientService clients;

    @ConfigProperty(name = "mp.messaging.outgoing." + CHANNEL + ".topic", defaultValue = Topics.TRAINING_BATCHES)
    String topic;

    public Uni<Void> publish(List<BatchEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        for (BatchEvent event : events) {
            records.add(new ProducerRecord<>(topic, event.jobId(), EventJson.encode(event)));
        }
        // continue where the caller was: a request's Hibernate Reactive session belongs to its Vert.x context
        Context caller = Vertx.currentContext();
        return Uni.createFrom().<Void>emitter(done -> {
            AtomicInteger unacknowledged = new AtomicInteger(records.size());
            clients.<String, byte[]>getProducer(CHANNEL).runOnSendingThread(producer -> {
                for (ProducerRecord<String, byte[]> record : records) {
                    producer.send(record, (metadata, failure) -> {
                        if (failure != null) {
                            // the first failure fails the call; the emitter ignores what comes after it
                            on(caller, () -> done.fail(failure));
                        } else if (unacknowledged.decrementAndGet() == 0) {
                            on(caller, () -> done.complete(null));
                        }
                    });
                }
            }).subscribe().with(sent -> { }, failure -> on(caller, () -> done.fail(failure)));
        });
    }

    private static void on(Context context, Runnable action) {
        if (context == null) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
