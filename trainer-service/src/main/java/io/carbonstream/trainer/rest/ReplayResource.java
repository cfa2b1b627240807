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
@jakarta.annotation.security.RolesAllowed({io.carbonstream.support.Auth.VIEWER, io.carbonstream.support.Auth.TRAINER, io.carbonstream.support.Auth.ADMIN})
public class ReplayResource {

    @Inject
    io.carbonstream.support.Caller caller;

    @Inject
    ReplayService replays;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @jakarta.annotation.security.RolesAllowed({io.carbonstream.support.Auth.TRAINER, io.carbonstream.support.Auth.ADMIN})
    public Uni<Response> start(byte[] body) {
        ReplayRequest request = JsonBodies.read(JsonBodies.tree(body), ReplayRequest.class, "");
        request = request.withTenant(caller.actingTenant(request.tenant()));
        return replays.start(request).map(status ->
                Response.accepted(status).location(URI.create("/replays/" + status.jobId())).build());
    }

    @GET
    @Path("/{jobId}")
    @io.quarkus.hibernate.reactive.panache.common.WithSession
    public Uni<ReplayStatus> status(@PathParam("jobId") String jobId) {
        // the job's tenant decides who may follow it: another tenant's run is answered as no run
        return io.carbonstream.trainer.job.Job.<io.carbonstream.trainer.job.Job>findById(jobId).map(job -> {
            if (job == null || !caller.sees(job.tenant)) {
                throw ProblemException.notFound("no replay of job " + jobId);
            }
            return job;
        })
                .flatMap(job -> replays.status(jobId))
                .map(found -> found.orElseThrow(() -> ProblemException.notFound("no replay of job " + jobId)));
    }
}
