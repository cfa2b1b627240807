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
public class TrainerResource {

    @Inject
    BuiltInTrainer trainer;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> start(byte[] body) {
        RunRequest request = body == null || body.length == 0 ? new RunRequest(null, null, null, null, null, null, null)
                : JsonBodies.read(JsonBodies.tree(body), RunRequest.class, "");
        return trainer.start(request).map(status ->
                Response.accepted(status).location(URI.create("/trainer/runs/" + status.jobId())).build());
    }

    @GET
    @Path("/{jobId}")
    public RunStatus status(@PathParam("jobId") String jobId) {
        return trainer.status(jobId).orElseThrow(() ->
                ProblemException.notFound("no built-in training run for job " + jobId + " since this service started"));
    }
}
