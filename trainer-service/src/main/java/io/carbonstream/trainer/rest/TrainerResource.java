package io.carbonstream.trainer.rest;

import io.carbonstream.support.ProblemException;
import io.carbonstream.trainer.builtin.BuiltInTrainer;
import io.carbonstream.trainer.builtin.RunRequest;
import io.carbonstream.trainer.builtin.RunStatus;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/** Starts and follows runs of the built-in trainer. */
@Path("/trainer/runs")
@Produces(MediaType.APPLICATION_JSON)
@jakarta.annotation.security.RolesAllowed({io.carbonstream.support.Auth.VIEWER, io.carbonstream.support.Auth.TRAINER, io.carbonstream.support.Auth.ADMIN})
public class TrainerResource {

    @Inject
    io.carbonstream.support.Caller caller;

    @Inject
    BuiltInTrainer trainer;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @jakarta.annotation.security.RolesAllowed({io.carbonstream.support.Auth.TRAINER, io.carbonstream.support.Auth.ADMIN})
    public Uni<Response> start(byte[] body) {
        RunRequest request = body == null || body.length == 0 ? new RunRequest(null, null, null, null, null, null, null)
                : JsonBodies.read(JsonBodies.tree(body), RunRequest.class, "");
        request = request.withTenant(caller.actingTenant(request.tenant()));
        return trainer.start(request).map(status ->
                Response.accepted(status).location(URI.create("/trainer/runs/" + status.jobId())).build());
    }

    @GET
    @Path("/{jobId}")
    @io.quarkus.hibernate.reactive.panache.common.WithSession
    public Uni<RunStatus> status(@PathParam("jobId") String jobId) {
        // the job's tenant decides who may follow it: another tenant's run is answered as no run
        return io.carbonstream.trainer.job.Job.<io.carbonstream.trainer.job.Job>findById(jobId).map(job -> {
            if (job == null || !caller.sees(job.tenant)) {
                throw ProblemException.notFound("no built-in training run for job " + jobId);
            }
            return job;
        })
                .flatMap(job -> trainer.status(jobId))
                .map(found -> found.orElseThrow(() -> ProblemException.notFound("no built-in training run for job " + jobId)));
    }
}
