package io.carbonstream.carbon.archive;

import io.carbonstream.carbon.streams.DeadLetterPublisher;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.EventValidation;
import io.carbonstream.events.InvalidEventException;
import io.carbonstream.events.Topics;
import org.apache.kafka.common.header.Header;
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
 * is not its jobId; and for an ended job's record, any field of the wrong type. Records whose header says the job
 * still runs are not read, so not checked either: only carbon-service may write the topic (its KafkaUser in
 * deploy/kubernetes/base/kafka/users.yaml).
 */
@ApplicationScoped
public class FootprintArchive {

    static final Set<String> ENDED = Set.of("FINISHED", "FAILED");

    Clock clock = Clock.systemUTC();

    @Inject
    DeadLetterPublisher deadLetters;

    @Inject
    @org.eclipse.microprofile.health.Readiness
    ArchiveReadiness readiness;

    /**
     * Archives the records of a poll whose jobs ended, one after another in the order they came. A record that
     * carbon-service marked as a running job's update ({@link Topics#JOB_STATE_HEADER}), nearly every record, is
     * passed by unread: reading each was a tenth of carbon-service's CPU (docs/performance.md). Any other record is
     * checked against the footprint's rules, its head (the fields the rules check) first, and read whole only when
     * the job ended. A poll is taken as one message
     * ({@code batch=true}), so that SmallRye's work per message is done once per poll, not once per record; its
     * offsets are committed once every record of it is archived, dead-lettered or passed by. A row PostgreSQL
     * refuses is the record's dead letter; any other failure is tried again, with waits growing to {@link #RETRY_MAX},
     * until it succeeds: the archive waits for its database rather than stop or lose a job, and reports itself not
     * ready once a record has waited too long ({@link ArchiveReadiness}).
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
        if (markedRunning(record)) {
            return null; // carbon-service says so in the header: not read at all
        }
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
        String name = record.topic() + "[" + record.partition() + "]@" + record.offset();
        return () -> Uni.createFrom().deferred(() -> store(f, record.value()))
                .onFailure().recoverWithUni(e -> {
                    String refusal = refusal(e);
                    return refusal == null ? Uni.createFrom().failure(e) : deadLetters.publish(record,
                            new InvalidEventException(null, "the archive's database refused it: " + refusal));
                })
                .onFailure().invoke(e -> {
                    readiness.failed(name, e);
                    LOG.warnf("archiving %s failed, tried again: %s", name, e.getMessage());
                })
                .onFailure().retry().withBackOff(RETRY_FIRST, RETRY_MAX).indefinitely()
                .invoke(() -> readiness.cleared(name));
    }

    /** The waits between tries of a record whose archiving failed for a reason not its own (the database away). */
    static final java.time.Duration RETRY_FIRST = java.time.Duration.ofMillis(200);
    static final java.time.Duration RETRY_MAX = java.time.Duration.ofSeconds(10);

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(FootprintArchive.class);

    /**
     * Why PostgreSQL refused the row itself (SQLSTATE class 22, data exception, or 23, integrity constraint), found
     * among the failure's causes: the record's fault, which a second try would meet again and which must not stop
     * the archive. Null for any other failure (the database unreachable), which is tried again.
     */
    static String refusal(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            String state = t instanceof java.sql.SQLException sql ? sql.getSQLState()
                    : t instanceof io.vertx.pgclient.PgException pg ? pg.getSqlState() : null;
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return "SQLSTATE " + state + " " + EventJson.withoutJavaNames(String.valueOf(t.getMessage()));
            }
        }
        return null;
    }

    /**
     * Whether carbon-service marked the record as a job's update that is not its end: its
     * {@link Topics#JOB_STATE_HEADER} holds a state that is neither FINISHED nor FAILED (RUNNING, or empty before the
     * job's record was seen). A record without the header (written by something else, or by a version before it) is
     * read as before; one whose header says the job ended is read whole, and its body decides.
     */
    static boolean markedRunning(ConsumerRecord<String, byte[]> record) {
        Header state = record.headers().lastHeader(Topics.JOB_STATE_HEADER);
        if (state == null) {
            return false;
        }
        byte[] value = state.value();
        if (value == null) {
            return true;
        }
        for (byte[] ended : ENDED_HEADERS) {
            if (java.util.Arrays.equals(value, ended)) {
                return false;
            }
        }
        return true;
    }

    /** {@link #ENDED} as the header's bytes, compared as they are: no String per record read. */
    private static final byte[][] ENDED_HEADERS = ENDED.stream().map(s -> s.getBytes(StandardCharsets.UTF_8))
            .toArray(byte[][]::new);

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
