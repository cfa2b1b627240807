package io.carbonstream.trainer.rest;

import io.carbonstream.support.ProblemException;
import io.carbonstream.trainer.replay.ReplayRequest;
import io.carbonstream.trainer.replay.ReplayService;
import io.carbonstream.trainer.replay.ReplayStatus;
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

/** Replays planned or historical runs through the pipeline. */
@Path("/replays")
@Produces(MediaType.APPLICATION_JSON)
public class ReplayResource {

    @Inject
    ReplayService replays;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> start(byte[] body) {
        ReplayRequest request = JsonBodies.read(JsonBodies.tree(body), ReplayRequest.class, "");
        return replays.start(request).map(status ->
                Response.accepted(status).location(URI.create("/replays/" + status.jobId())).build());
    }

    @GET
    @Path("/{jobId}")
    public ReplayStatus status(@PathParam("jobId") String jobId) {
        return replays.status(jobId).orElseThrow(() ->
                ProblemException.notFound("no replay of job " + jobId + " since this service started"));
    }
}
