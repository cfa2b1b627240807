package io.carbonstream.carbon.rest;

import io.carbonstream.carbon.query.FootprintQueries;
import io.carbonstream.carbon.query.RollupQueries;
import io.carbonstream.carbon.report.TenantMonthReport;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.Limits;
import io.carbonstream.events.RollupEvent;
import io.carbonstream.support.Auth;
import io.carbonstream.support.Caller;
import io.carbonstream.support.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reports a sustainability team files: a tenant's month, per job and in total ({@link TenantMonthReport}). */
@Path("/reports")
@RolesAllowed({Auth.VIEWER, Auth.TRAINER, Auth.ADMIN})
public class ReportResource {

    @Inject
    RollupQueries rollups;

    @Inject
    FootprintQueries footprints;

    @Inject
    Caller caller;

    /**
     * {@code GET /reports/tenants/{tenant}/months/{yyyy-MM}?format=json|csv|markdown} (default json). A month without
     * a counted batch answers an empty report; another tenant's, 404.
     */
    @GET
    @Path("/tenants/{tenant}/months/{month}")
    @Produces({MediaType.APPLICATION_JSON, "text/csv", "text/markdown"})
    public Uni<Response> month(@PathParam("tenant") String tenant, @PathParam("month") String month,
                               @QueryParam("format") String format, @Context HttpHeaders headers) {
        String f = format == null ? "json" : format.toLowerCase(Locale.ROOT);
        if (!Set.of("json", "csv", "markdown").contains(f)) {
            throw ProblemException.invalidField("format", "must be json, csv or markdown, was " + format);
        }
        String m = month(month);
        seen(tenant);
        var names = footprints.list(new FootprintQueries.Filter(caller.tenantsSeen(), tenant, null, null), FootprintQueries.MAX_LIST, headers)
                .map(list -> list.stream().collect(Collectors.toMap(FootprintEvent::jobId, Function.identity(), (a, b) -> a)));
        return rollups.month(tenant, m, headers).flatMap(parts -> names.map(byJob -> {
            TenantMonthReport report = TenantMonthReport.of(tenant, m, parts, byJob);
            return switch (f) {
                case "csv" -> Response.ok(report.csv(), "text/csv").build();
                case "markdown" -> Response.ok(report.markdown(), "text/markdown").build();
                default -> Response.ok(report, MediaType.APPLICATION_JSON).build();
            };
        }));
    }

    /**
     * {@code GET /reports/tenants/{tenant}/months/{yyyy-MM}/rollups}: the month's roll-ups the report is made of, its
     * TENANT_MONTH total and each job's TENANT_MONTH_JOB part, gathered from every instance.
     */
    @GET
    @Path("/tenants/{tenant}/months/{month}/rollups")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<RollupEvent>> monthRollups(@PathParam("tenant") String tenant, @PathParam("month") String month,
                                               @Context HttpHeaders headers) {
        String m = month(month);
        seen(tenant);
        return rollups.month(tenant, m, headers);
    }

    private void seen(String tenant) {
        if (tenant == null || tenant.length() > Limits.MAX_ID_LENGTH || !caller.sees(tenant)) {
            throw ProblemException.notFound("no tenant " + tenant + " that this caller may see");
        }
    }

    /** {@code yyyy-MM} within the range every instant is ({@link Limits}), or 400 naming {@code month}. */
    static String month(String month) {
        try {
            YearMonth m = YearMonth.parse(month == null ? "" : month);
            if (!month.matches("[0-9]{4}-[0-9]{2}") || !Limits.inRange(m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC))) {
                throw new DateTimeParseException("out of range", month, 0);
            }
            return m.toString();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField("month", "must be a month yyyy-MM between 2000-01 and 2099-12, was "
                    + (month == null ? "nothing" : month.length() > 32 ? month.substring(0, 32) + "…" : month));
        }
    }
}
