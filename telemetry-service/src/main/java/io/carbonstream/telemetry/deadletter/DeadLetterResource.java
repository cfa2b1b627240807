package io.carbonstream.telemetry.deadletter;

import io.carbonstream.support.Auth;
import io.carbonstream.support.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/**
 * {@code /dead-letters}: the batches this service dead-lettered, and sending them again once their cause is fixed.
 * Both read {@code training.batches.dlq} from its beginning; they block a worker thread, not the event loop.
 */
@Path("/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    /** Most entries one listing returns. */
    static final int MAX_LIMIT = 10_000;

    @Inject
    DeadLetters deadLetters;

    @Inject
    io.carbonstream.support.Caller caller;

    /** Body of a redrive: which open dead letters to send again; every field is optional, {} means all of them. */
    public record RedriveRequest(String jobId, String field, String reasonContains, Instant since) {
    }

    /** An admin sees every letter; anyone else the letters of batches of its own tenant. */
    @GET
    @jakarta.annotation.security.RolesAllowed({Auth.VIEWER, Auth.TRAINER, Auth.ADMIN})
    public List<DeadLetters.Entry> list(@QueryParam("jobId") String jobId, @QueryParam("field") String field,
                                        @QueryParam("reasonContains") String reasonContains,
                                        @QueryParam("since") String since,
                                        @QueryParam("includeRedriven") @DefaultValue("false") boolean includeRedriven,
                                        @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.invalidField("limit", "must be in 1.." + MAX_LIMIT + ", was " + limit);
        }
        String tenant = caller.isAdmin() ? null : caller.tenantOrNull();
        if (!caller.isAdmin() && tenant == null) {
            return List.of();
        }
        return deadLetters.list(new DeadLetters.Filter(jobId, field, reasonContains, instant(since), tenant), limit,
                includeRedriven);
    }

    @POST
    @Path("/redrive")
    @jakarta.annotation.security.RolesAllowed(Auth.ADMIN)
    public DeadLetters.Redrive redrive(RedriveRequest request) {
        if (request == null) {
            throw ProblemException.invalidField(null, "the request body is empty; {} sends every dead letter again");
        }
        return deadLetters.redrive(new DeadLetters.Filter(request.jobId(), request.field(), request.reasonContains(),
                request.since()));
    }

    private static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return io.carbonstream.support.Params.instant("since", text);
    }
}
