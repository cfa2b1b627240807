package io.carbonstream.carbon.query;

import io.carbonstream.support.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends a query about one job to the instance that owns the job's partition ({@link Queries#route}), and answers
 * with what it answered: so
 * {@code GET /footprints/{jobId}}, its timeline, report, impact and what-if give the same answer on every instance.
 * The owner checks the caller's token and tenant itself. A request another instance sent is answered here or, if
 * this instance no longer owns the job (a rebalance moved it), with 503 and {@code Retry-After}: never passed on
 * again. The live stream is not routed: every instance reads every update from {@code carbon.footprint}, and asks the
 * owner only for the stream's first event ({@link FootprintQueries#current}, with the same {@link Queries#route}).
 * Every answer about a job names the instance that answered it in {@code X-Carbonstream-Instance}.
 */
public class OwnerRouting {

    @Inject
    Queries queries;

    @ServerRequestFilter
    public Uni<Response> route(ContainerRequestContext request, UriInfo uri) {
        String path = uri.getPath();
        if (!queries.distributed() || !path.startsWith("/footprints/") || path.endsWith("/stream")
                || !"GET".equals(request.getMethod())) {
            return Uni.createFrom().nullItem();
        }
        String jobId = uri.getPathParameters().getFirst("jobId");
        if (jobId == null) {
            return Uni.createFrom().nullItem();
        }
        Queries.Owner owner;
        try {
            owner = queries.route(jobId, request.getHeaderString(Queries.FORWARDED) != null);
        } catch (io.carbonstream.support.ProblemException moving) {
            return Uni.createFrom().item(problem(moving, path));
        }
        if (!(owner instanceof Queries.There there)) {
            return Uni.createFrom().nullItem();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HttpHeaders.AUTHORIZATION, request.getHeaderString(HttpHeaders.AUTHORIZATION));
        headers.put(HttpHeaders.ACCEPT, request.getHeaderString(HttpHeaders.ACCEPT));
        String target = uri.getRequestUri().getRawPath()
                + (uri.getRequestUri().getRawQuery() == null ? "" : "?" + uri.getRequestUri().getRawQuery());
        return queries.askOwner(there, jobId, target, headers)
                .map(answer -> {
                    Response.ResponseBuilder out = Response.status(answer.statusCode()).entity(answer.body());
                    answer.headers().firstValue("content-type").ifPresent(t -> out.header(HttpHeaders.CONTENT_TYPE, t));
                    answer.headers().firstValue("retry-after").ifPresent(t -> out.header("Retry-After", t));
                    answer.headers().firstValue("www-authenticate").ifPresent(t -> out.header("WWW-Authenticate", t));
                    answer.headers().firstValue(Queries.INSTANCE).ifPresent(t -> out.header(Queries.INSTANCE, t));
                    return out.build();
                })
                .onFailure(io.carbonstream.support.ProblemException.class)
                .recoverWithItem(unreachable -> problem((io.carbonstream.support.ProblemException) unreachable, path));
    }

    private static Response problem(io.carbonstream.support.ProblemException e, String path) {
        Response.ResponseBuilder out = Response.status(e.problem().status()).type(Problem.MEDIA_TYPE)
                .entity(new Problem(e.problem().type(), e.problem().title(), e.problem().status(), e.problem().detail(),
                        path.length() > 256 ? null : path, java.util.List.of()));
        e.headers().forEach(out::header);
        return out.build();
    }

    /** Names this instance on the answers it gave about a job from its own stores (a routed answer keeps the owner's). */
    @ServerResponseFilter
    public void nameTheInstance(ContainerRequestContext request, ContainerResponseContext response) {
        if (queries.distributed() && response.getStatus() == 200 && request.getUriInfo().getPath().startsWith("/footprints/")
                && !request.getUriInfo().getPath().endsWith("/stream") && !response.getHeaders().containsKey(Queries.INSTANCE)) {
            response.getHeaders().putSingle(Queries.INSTANCE, queries.self().host() + ":" + queries.self().port());
        }
    }
}
