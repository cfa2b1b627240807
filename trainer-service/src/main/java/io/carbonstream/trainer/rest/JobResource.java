package io.carbonstream.trainer.rest;

import io.carbonstream.support.Auth;
import io.carbonstream.support.Caller;
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

/** Registers, reads, lists and finishes training jobs; a caller sees the jobs of its token's tenant only. */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
@jakarta.annotation.security.RolesAllowed({Auth.VIEWER, Auth.TRAINER, Auth.ADMIN})
public class JobResource {

    @Inject
    JobService jobs;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @jakarta.annotation.security.RolesAllowed({Auth.TRAINER, Auth.ADMIN})
    public Uni<Response> register(byte[] body) {
        JobRequest request = JsonBodies.read(JsonBodies.tree(body), JobRequest.class, "");
        request = request.withTenant(caller.actingTenant(request.tenant()));
        return jobs.register(request)
                .map(saved -> Response.created(URI.create("/jobs/" + saved.id)).entity(JobView.of(saved)).build());
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<JobView> get(@PathParam("id") String id) {
        return visible(id).map(JobView::of);
    }

    @GET
    @WithSession
    public Uni<List<JobView>> list(@QueryParam("tenant") String tenant, @QueryParam("state") JobState state) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        // a tenant's caller lists its own jobs whatever it asks for; an admin lists every tenant's, or one
        String only = caller.isAdmin() ? tenant : caller.tenantOrNull();
        if (!caller.isAdmin() && (only == null || (tenant != null && !tenant.equals(only)))) {
            return Uni.createFrom().item(List.of());
        }
        if (only != null) {
            query.append(" and tenant = :tenant");
            params.put("tenant", only);
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
    @jakarta.annotation.security.RolesAllowed({Auth.TRAINER, Auth.ADMIN})
    public Uni<JobView> finish(@PathParam("id") String id, byte[] body) {
        JobState end = JobState.FINISHED;
        if (body != null && body.length > 0) {
            var node = JsonBodies.tree(body);
            if (node.hasNonNull("state")) {
                end = JsonBodies.read(node, FinishRequest.class, "").state();
            }
        }
        JobState state = end;
        return visible(id).flatMap(job -> jobs.finish(id, state)).map(JobView::of);
    }

    /** The job if this caller sees it; 404 otherwise, the same for another tenant's job as for none. */
    @WithSession
    Uni<Job> visible(String id) {
        return Job.<Job>findById(id).map(job -> {
            if (job == null || !caller.sees(job.tenant)) {
                throw ProblemException.notFound("no job " + id + " is registered");
            }
            return job;
        });
    }

    record FinishRequest(JobState state) {
    }
}
