package io.carbonstream.trainer.job;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Registering and ending jobs, for the REST API, the built-in trainer and replays alike. Each change is stored,
 * committed, then published to {@code training.jobs}.
 */
@ApplicationScoped
public class JobService {

    private static final Logger LOG = Logger.getLogger(JobService.class);

    @Inject
    JobTransactions tx;

    @Inject
    JobPublisher publisher;

    /** Validates and stores a new RUNNING job, then publishes it. */
    public Uni<Job> register(JobRequest request) {
        return tx.register(request).flatMap(publisher::publish);
    }

    /** Ends a RUNNING job as FINISHED or FAILED, then publishes it. */
    public Uni<Job> finish(String id, JobState end) {
        return tx.finish(id, end).flatMap(publisher::publish);
    }

    /**
     * {@link #finish} from a worker thread (outside any Vert.x context), waiting for it; failures are logged, as
     * the caller has nobody to report them to.
     */
    public void finishFromWorker(String id, JobState end) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> finish(id, end));
        } catch (Throwable t) {
            LOG.errorf(t, "could not mark job %s %s", id, end);
        }
    }
}
