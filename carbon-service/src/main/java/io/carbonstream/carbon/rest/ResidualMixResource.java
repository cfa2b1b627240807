package io.carbonstream.carbon.rest;

import io.carbonstream.carbon.grid.DatacenterCatalog;
import io.carbonstream.carbon.grid.DatacenterRepository;
import io.carbonstream.carbon.grid.MarketService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** Zones' residual mixes over time: the market-based factor of consumption no contractual instrument covers. */
@Path("/residual-mixes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@jakarta.annotation.security.RolesAllowed({io.carbonstream.support.Auth.VIEWER, io.carbonstream.support.Auth.TRAINER, io.carbonstream.support.Auth.ADMIN})
public class ResidualMixResource {

    @Inject
    MarketService market;

    @Inject
    DatacenterRepository applied;

    @GET
    public Uni<List<DatacenterCatalog.ResidualMix>> list() {
        return market.residualMixes();
    }

    @POST
    @jakarta.annotation.security.RolesAllowed(io.carbonstream.support.Auth.ADMIN)
    public Uni<Response> add(MarketService.ResidualMixRequest request) {
        return market.addResidualMix(request).call(applied::refresh).map(m -> Response.status(201).entity(m).build());
    }
}
