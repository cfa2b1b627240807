package io.carbonstream.carbon.rest;

import io.carbonstream.carbon.estimate.Estimate;
import io.carbonstream.carbon.estimate.EstimateRequest;
import io.carbonstream.carbon.estimate.EstimateService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The footprint of a declared run, without streaming it, with every assumption echoed back. */
@Path("/estimates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@jakarta.annotation.security.RolesAllowed({io.carbonstream.support.Auth.VIEWER, io.carbonstream.support.Auth.TRAINER, io.carbonstream.support.Auth.ADMIN})
public class EstimateResource {

    @Inject
    EstimateService estimates;

    @POST
    @Blocking
    public Estimate estimate(EstimateRequest request) {
        return estimates.estimate(request);
    }

    /** What-if: the base run and each alternative (other zone, data centre, PUE, hardware), side by side. */
    @POST
    @Path("/compare")
    @Blocking
    public java.util.List<io.carbonstream.carbon.estimate.Comparison.Result> compare(
            io.carbonstream.carbon.estimate.Comparison.Request request) {
        if (request == null || request.base() == null) {
            throw io.carbonstream.support.ProblemException.invalidField("base", "is required");
        }
        var alternatives = request.alternatives() == null ? java.util.List.<io.carbonstream.carbon.estimate.Comparison.Alternative>of()
                : request.alternatives();
        if (alternatives.size() > 50) {
            throw io.carbonstream.support.ProblemException.invalidField("alternatives", "at most 50, was " + alternatives.size());
        }
        Estimate base = estimates.estimate(request.base());
        var results = new java.util.ArrayList<io.carbonstream.carbon.estimate.Comparison.Result>();
        results.add(io.carbonstream.carbon.estimate.Comparison.Result.of("base", base, base));
        for (int i = 0; i < alternatives.size(); i++) {
            var a = alternatives.get(i);
            String label = a.label() == null ? "alternative " + (i + 1) : a.label();
            results.add(io.carbonstream.carbon.estimate.Comparison.Result.of(label, estimates.estimate(a.applyTo(request.base())), base));
        }
        return results;
    }
}
