package io.carbonstream.trainer.batch;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.events.EventJson;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;

/**
 * Sends batch events to {@code training.batches}, keyed by job id, and completes only when Kafka has
 * acknowledged every one of them (acks=all, idempotent producer): an accepted batch is never lost.
 */
@ApplicationScoped
public class BatchPublisher {

    @Channel("training-batches")
    MutinyEmitter<byte[]> emitter;

    public Uni<Void> publish(List<BatchEvent> events) {
        List<Uni<Void>> sends = events.stream().map(this::send).toList();
        return Uni.join().all(sends).andFailFast().replaceWithVoid();
    }

    private Uni<Void> send(BatchEvent event) {
        Message<byte[]> message = Message.of(EventJson.encode(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.jobId()).build());
        return emitter.sendMessage(message);
    }
}
