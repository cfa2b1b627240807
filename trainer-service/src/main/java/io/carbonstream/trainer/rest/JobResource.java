package io.carbonstream.trainer.rest;

import io.carbonstream.support.ProblemException;
import io.carbonstream.trainer.job.Job;
import io.carbonstream.trainer.job.JobRequest;
import io.carbonstream.trainer.job.JobState;
import io.carbonstream.trainer.job.JobView;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.inject.Inject;
import io.carbonstream.trainer.job.JobService;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Registers, reads, lists and finishes training jobs. */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    @Inject
    JobService jobs;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> register(byte[] body) {
        JobRequest request = JsonBodies.read(JsonBodies.tree(body), JobRequest.class, "");
        return jobs.register(request)
                .map(saved -> Response.created(URI.create("/jobs/" + saved.id)).entity(JobView.of(saved)).build());
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<JobView> get(@PathParam("id") String id) {
        return Job.<Job>findById(id).map(job -> {
            if (job == null) {
                throw ProblemException.notFound("no job " + id + " is registered");
            }
            return JobView.of(job);
        });
    }

    @GET
    @WithSession
    public Uni<List<JobView>> list(@QueryParam("tenant") String tenant, @QueryParam("state") JobState state) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (tenant != null) {
            query.append(" and tenant = :tenant");
            params.put("tenant", tenant);
        }
        if (state != null) {
            query.append(" and state = :state");
            params.put("state", state);
        }
        return Job.<Job>find(query.toString(), Sort.by("createdAt").and("id"), params).list()
                .map(jobs -> jobs.stream().map(JobView::of).toList());
    }

    /** Ends a job: {@code {"state": "FINISHED"}} (the default) or {@code {"state": "FAILED"}}. */
    @POST
    @Path("/{id}/finish")
    public Uni<JobView> finish(@PathParam("id") String id, byte[] body) {
        JobState end = JobState.FINISHED;
        if (body != null && body.length > 0) {
            var node = JsonBodies.tree(body);
            if (node.hasNonNull("state")) {
                end = JsonBodies.read(node, FinishRequest.class, "").state();
            }
        }
        return jobs.finish(id, end).map(JobView::of);
    }

    record FinishRequest(JobState state) {
    }
}
