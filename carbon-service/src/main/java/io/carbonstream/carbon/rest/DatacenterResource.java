package io.carbonstream.carbon.rest;

import io.carbonstream.carbon.grid.DatacenterCatalog;
import io.carbonstream.carbon.grid.DatacenterRepository;
import io.carbonstream.carbon.grid.DatacenterService;
import io.carbonstream.carbon.grid.MarketService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;

/** Data centres: their grid zone, their PUE over time and their contractual instruments (market-based Scope 2). */
@Path("/datacenters")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@jakarta.annotation.security.RolesAllowed({io.carbonstream.support.Auth.VIEWER, io.carbonstream.support.Auth.TRAINER, io.carbonstream.support.Auth.ADMIN})
public class DatacenterResource {

    @Inject
    DatacenterService datacenters;

    @Inject
    DatacenterRepository applied;

    @Inject
    MarketService market;

    @GET
    public Uni<List<DatacenterService.View>> list(@QueryParam("includeRetired") @DefaultValue("false") boolean includeRetired) {
        return datacenters.list(includeRetired);
    }

    @GET
    @Path("/{id}")
    public Uni<DatacenterService.View> get(@PathParam("id") String id) {
        return datacenters.get(id);
    }

    @POST
    @jakarta.annotation.security.RolesAllowed(io.carbonstream.support.Auth.ADMIN)
    public Uni<Response> create(DatacenterService.Request request) {
        return datacenters.create(request).call(applied::refresh)
                .map(v -> Response.created(URI.create("/datacenters/" + v.id())).entity(v).build());
    }

    @PUT
    @jakarta.annotation.security.RolesAllowed(io.carbonstream.support.Auth.ADMIN)
    @Path("/{id}")
    public Uni<DatacenterService.View> update(@PathParam("id") String id, DatacenterService.Request request) {
        return datacenters.update(id, request).call(applied::refresh);
    }

    @DELETE
    @jakarta.annotation.security.RolesAllowed(io.carbonstream.support.Auth.ADMIN)
    @Path("/{id}")
    public Uni<DatacenterService.View> retire(@PathParam("id") String id) {
        return datacenters.retire(id).call(applied::refresh);
    }

    @POST
    @jakarta.annotation.security.RolesAllowed(io.carbonstream.support.Auth.ADMIN)
    @Path("/{id}/pue")
    public Uni<Response> addPue(@PathParam("id") String id, DatacenterService.PueRequest request) {
        return datacenters.addPue(id, request).call(applied::refresh)
                .map(v -> Response.status(201).entity(v).build());
    }

    @GET
    @Path("/{id}/instruments")
    public Uni<List<DatacenterCatalog.Instrument>> instruments(@PathParam("id") String id) {
        return market.instruments(id);
    }

    @POST
    @jakarta.annotation.security.RolesAllowed(io.carbonstream.support.Auth.ADMIN)
    @Path("/{id}/instruments")
    public Uni<Response> addInstrument(@PathParam("id") String id, MarketService.InstrumentRequest request) {
        return market.addInstrument(id, request).call(applied::refresh)
                .map(i -> Response.created(URI.create("/datacenters/" + id + "/instruments/" + i.id())).entity(i).build());
    }

    @DELETE
    @jakarta.annotation.security.RolesAllowed(io.carbonstream.support.Auth.ADMIN)
    @Path("/{id}/instruments/{instrument}")
    public Uni<DatacenterCatalog.Instrument> deleteInstrument(@PathParam("id") String id, @PathParam("instrument") String instrument) {
        return market.deleteInstrument(id, instrument).call(applied::refresh);
    }
}
