package io.carbonstream.carbon.archive;

import io.carbonstream.carbon.streams.DeadLetterPublisher;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.EventValidation;
import io.carbonstream.events.InvalidEventException;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import io.carbonstream.events.FootprintEvent;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the latest footprint of every FINISHED or FAILED job in PostgreSQL, from the committed records of
 * {@code carbon.footprint}, so it stays queryable when the stream state no longer has it. Updates that come after
 * a job ended (late batches) replace the archived one. A record that is no footprint goes to
 * {@code carbon.footprint.dlq}: malformed JSON, a duplicated key, a field the footprint's rules refuse, a key that
 * is not its jobId; and for an ended job's record, any field of the wrong type.
 */
@ApplicationScoped
public class FootprintArchive {

    static final Set<String> ENDED = Set.of("FINISHED", "FAILED");

    Clock clock = Clock.systemUTC();

    @Inject
    DeadLetterPublisher deadLetters;

    /**
     * Archives the records of a poll whose jobs ended, one after another in the order they came. Every record is
     * checked against the footprint's rules, but only its head (the fields the rules check) is read first: a running
     * job's update, nearly every record, needs nothing more, and reading each whole was a tenth of carbon-service's
     * CPU (docs/performance.md). The record is read whole only once the job ended. A poll is taken as one message
     * ({@code batch=true}), so that SmallRye's work per message is done once per poll, not once per record; its
     * offsets are committed once every record of it is archived, dead-lettered or passed by.
     */
    @Incoming("footprint-archive")
    public Uni<Void> archive(ConsumerRecords<String, byte[]> records) {
        Uni<Void> done = null;
        for (ConsumerRecord<String, byte[]> record : records) {
            java.util.function.Supplier<Uni<Void>> work = work(record);
            if (work != null) {
                done = done == null ? Uni.createFrom().deferred(work::get) : done.chain(work::get);
            }
        }
        return done == null ? Uni.createFrom().voidItem() : done;
    }

    /**
     * What one record needs, checked now and done when the returned step runs (after the poll's records before
     * it): null for a running job's update, which needs nothing.
     */
    java.util.function.Supplier<Uni<Void>> work(ConsumerRecord<String, byte[]> record) {
        FootprintEvent f;
        try {
            FootprintEvent.Head head = EventValidation.read(record.key(), record.value(), FootprintEvent.Head.class,
                    EventValidation::footprint, FootprintEvent.Head::jobId, "jobId");
            if (head.jobState() == null || !ENDED.contains(head.jobState())) {
                return null; // a running job's update: no database transaction for it
            }
            f = EventValidation.read(record.key(), record.value(), FootprintEvent.class, EventValidation::footprint,
                    FootprintEvent::jobId, "jobId");
        } catch (InvalidEventException e) {
            return () -> deadLetters.publish(record, e);
        }
        return () -> store(f, record.value());
    }

    @WithTransaction
    Uni<Void> store(FootprintEvent f, byte[] record) {
        if (f.jobState() == null || !ENDED.contains(f.jobState())) {
            return Uni.createFrom().voidItem();
        }
        return FinishedFootprint.<FinishedFootprint>findById(f.jobId()).flatMap(existing -> {
            FinishedFootprint row = existing != null ? existing : new FinishedFootprint();
            if (existing != null && existing.batches > f.batches()) {
                return Uni.createFrom().voidItem(); // an older update arriving late changes nothing
            }
            row.jobId = f.jobId();
            row.tenant = f.tenant();
            row.model = f.model();
            row.jobState = f.jobState();
            row.batches = f.batches();
            row.operationalGrams = f.operationalGCo2e();
            row.embodiedGrams = f.embodiedGCo2e();
            row.footprint = new String(record, StandardCharsets.UTF_8);
            row.archivedAt = clock.instant();
            return row.persist().replaceWithVoid();
        });
    }

    /** The archived footprint of a job, when it ended. */
    @WithSession
    public Uni<Optional<FootprintEvent>> find(String jobId) {
        return FinishedFootprint.<FinishedFootprint>findById(jobId).map(row -> Optional.ofNullable(row)
                .map(r -> EventJson.decode(r.footprint.getBytes(StandardCharsets.UTF_8), FootprintEvent.class)));
    }
}
