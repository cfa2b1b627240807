package io.carbonstream.trainer.rest;

import io.carbonstream.events.BatchEvent;
import io.carbonstream.support.ProblemException;
import io.carbonstream.trainer.batch.BatchAssembler;
import io.carbonstream.trainer.batch.BatchPublisher;
import io.carbonstream.trainer.batch.BatchReport;
import io.carbonstream.trainer.job.Job;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * The batch-report API: a trainer posts one report (a JSON object) or several (a JSON array) per request.
 * Every report is validated before anything is sent; the answer, 202, comes once Kafka has every event.
 */
@Path("/jobs/{id}/batches")
public class BatchResource {

    @Inject
    BatchPublisher publisher;

    @Inject
    io.carbonstream.support.Caller caller;

    @Inject
    ReportRateLimit rateLimit;

    Clock clock = Clock.systemUTC();

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    /** What an accepted request produced. */
    public record Accepted(String jobId, int accepted, List<UUID> eventIds) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @WithSession
    @jakarta.annotation.security.RolesAllowed({io.carbonstream.support.Auth.TRAINER, io.carbonstream.support.Auth.ADMIN})
    public Uni<Response> report(@PathParam("id") String jobId, byte[] body) {
        var read = JsonBodies.objects(body, BatchReport.class, BatchAssembler.MAX_REPORTS_PER_REQUEST);
        List<BatchReport> reports = read.values();
        boolean array = read.array();
        return Job.<Job>findById(jobId).flatMap(found -> {
            // another tenant's job is answered as a job that does not exist
            Job job = found != null && caller.sees(found.tenant) ? found : null;
            var result = BatchAssembler.assemble(jobId, job, reports, array, clock.instant());
            if (!result.valid()) {
                throw ProblemException.invalid(result.violations());
            }
            rateLimit.acquire(job.tenant, reports.size());
            List<UUID> ids = result.events().stream().map(BatchEvent::eventId).toList();
            String tenant = job.tenant;
            return publisher.publish(result.events())
                    .invoke(() -> registry.counter("carbonstream.trainer.batches.accepted", "tenant", tenant,
                            "source", "http").increment(ids.size()))
                    .replaceWith(() -> Response.accepted(new Accepted(jobId, ids.size(), ids)).build());
        });
    }
}
