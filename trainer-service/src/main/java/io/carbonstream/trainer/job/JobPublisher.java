package io.carbonstream.trainer.job;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.JobEvent;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes each job's description and state to {@code training.jobs} once it is committed, and every job again
 * when the service starts, so that a send lost between the commit and Kafka is repaired by the next start.
 */
@ApplicationScoped
public class JobPublisher {

    private static final Logger LOG = Logger.getLogger(JobPublisher.class);

    @Channel("training-jobs")
    MutinyEmitter<byte[]> emitter;

    public Uni<Job> publish(Job job) {
        return emitter.sendMessage(Message.of(EventJson.encode(toEvent(job)))
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(job.id).build()))
                .replaceWith(job);
    }

    void republishAll(@Observes StartupEvent event) {
        try {
            VertxContextSupport.subscribeAndAwait(this::publishAll);
        } catch (Throwable t) {
            LOG.warnf(t, "could not republish jobs to training.jobs at start");
        }
    }

    @WithSession
    Uni<Void> publishAll() {
        return Job.<Job>listAll().flatMap(jobs -> jobs.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(jobs.stream().map(this::publish).toList()).andFailFast().replaceWithVoid());
    }

    static JobEvent toEvent(Job j) {
        return new JobEvent(JobEvent.SCHEMA_VERSION, j.id, j.tenant, j.name, j.model, j.modelParameters, j.phase,
                j.acceleratorType, j.acceleratorsPerWorker, j.workers, j.datacenter, j.plannedSteps, j.plannedTokens,
                j.state.name(), j.startedAt, j.finishedAt, j.co2eBudgetGrams);
    }
}
