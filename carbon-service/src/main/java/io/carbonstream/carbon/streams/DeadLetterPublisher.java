package io.carbonstream.carbon.streams;

import io.carbonstream.events.DeadLetter;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.InvalidEventException;
import io.carbonstream.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Clock;

/**
 * Dead letters of the records carbon-service's plain consumers (not its stream processors) cannot use: grid
 * intensity observations and archived footprints. Each goes to the dead-letter topic of the topic it came from,
 * acknowledged by the broker before the consumer moves on.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

    @Channel("dead-letters")
    MutinyEmitter<byte[]> emitter;

    @Inject
    MeterRegistry registry;

    Clock clock = Clock.systemUTC();

    public Uni<Void> publish(ConsumerRecord<String, byte[]> record, InvalidEventException reason) {
        DeadLetter letter = DeadLetter.of(FootprintProcessor.SERVICE, record.topic(), record.partition(), record.offset(),
                record.key(), reason.field(), reason.reason(), record.value(), clock.instant());
        String topic = Topics.deadLetterOf(record.topic());
        LOG.warnf("dead-lettering %s[%d]@%d to %s: %s", record.topic(), record.partition(), record.offset(), topic,
                reason.reason());
        registry.counter("carbonstream.carbon.dead.letters", "topic", record.topic(), "reason", "invalid").increment();
        return emitter.sendMessage(Message.of(EventJson.encode(letter)).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic).withKey(letter.key()).build()));
    }
}
