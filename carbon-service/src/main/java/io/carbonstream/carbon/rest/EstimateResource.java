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
public class EstimateResource {

    @Inject
    EstimateService estimates;

    @POST
    @Blocking
    public Estimate estimate(EstimateRequest request) {
        return estimates.estimate(request);
    }
}
