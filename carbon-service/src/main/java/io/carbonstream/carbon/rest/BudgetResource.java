package io.carbonstream.carbon.rest;

import io.carbonstream.events.BudgetEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.EventValidation;
import io.carbonstream.events.Violation;
import io.carbonstream.support.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Tenants' monthly carbon budgets. An admin sets or removes one ({@code carbon.budgets}, compacted); a tenant's
 * viewers read their own. Each time a tenant's total for a calendar month (UTC) crosses 50, 80 and 100 % of it,
 * carbon-service publishes one alert to {@code carbon.alerts} (docs/events.md). A job's own budget is declared with
 * the job ({@code co2eBudgetGrams} of {@code POST /jobs}).
 */
@Path("/budgets/tenants/{tenant}")
@Produces(MediaType.APPLICATION_JSON)
@jakarta.annotation.security.RolesAllowed({io.carbonstream.support.Auth.VIEWER, io.carbonstream.support.Auth.TRAINER, io.carbonstream.support.Auth.ADMIN})
public class BudgetResource {

    /** The body of a PUT. */
    public record BudgetRequest(BigDecimal monthlyGCo2e) {
    }

    @Inject
    io.carbonstream.carbon.query.Queries queries;

    @Inject
    io.carbonstream.support.Caller caller;

    @Inject
    org.eclipse.microprofile.jwt.JsonWebToken token;

    @Channel("carbon-budgets")
    MutinyEmitter<byte[]> emitter;

    @GET
    @Operation(summary = "A tenant's monthly carbon budget", description = "404 when it has none (or the caller may not see the tenant).")
    public BudgetEvent get(@PathParam("tenant") String tenant) {
        if (!caller.sees(tenant)) {
            throw notFound(tenant);
        }
        byte[] value = queries.local(io.carbonstream.carbon.query.StoreNames.BUDGET_STORE).get(tenant);
        if (value == null) {
            throw notFound(tenant);
        }
        return EventJson.decode(value, BudgetEvent.class);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @jakarta.annotation.security.RolesAllowed(io.carbonstream.support.Auth.ADMIN)
    @Operation(summary = "Set a tenant's monthly carbon budget (admin)",
            description = "Body {\"monthlyGCo2e\": 500000}: grams CO2e per calendar month (UTC), operational + embodied. "
                    + "Applies to the month's totals from the next batch counted; thresholds already alerted this month stay alerted.")
    public Uni<BudgetEvent> put(@PathParam("tenant") String tenant, BudgetRequest body) {
        if (body == null || body.monthlyGCo2e() == null) {
            throw ProblemException.invalidField("monthlyGCo2e", "is required (grams CO2e per month)");
        }
        return publish(tenant, body.monthlyGCo2e());
    }

    @DELETE
    @jakarta.annotation.security.RolesAllowed(io.carbonstream.support.Auth.ADMIN)
    @Operation(summary = "Remove a tenant's monthly carbon budget (admin)")
    public Uni<BudgetEvent> delete(@PathParam("tenant") String tenant) {
        return publish(tenant, null);
    }

    private Uni<BudgetEvent> publish(String tenant, BigDecimal grams) {
        BudgetEvent event = new BudgetEvent(BudgetEvent.SCHEMA_VERSION, tenant, grams,
                token == null ? null : token.getSubject(), Clock.systemUTC().instant());
        List<Violation> violations = new ArrayList<>(EventValidation.budget(event));
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        return emitter.sendMessage(Message.of(EventJson.encode(event))
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(tenant).build()))
                .replaceWith(event);
    }

    private static ProblemException notFound(String tenant) {
        return ProblemException.notFound("tenant '" + tenant + "' has no monthly carbon budget");
    }
}
