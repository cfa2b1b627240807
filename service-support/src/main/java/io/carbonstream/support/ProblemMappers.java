package io.carbonstream.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.InvalidEventException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/** Every error of every endpoint as problem+json. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder answer = builder(e.problem(), uri);
        e.headers().forEach(answer::header);
        return answer.build();
    }

    /** No token (or a request that needs one and has none): 401, with the scheme to use. */
    @ServerExceptionMapper
    public Response unauthorized(io.quarkus.security.UnauthorizedException e, UriInfo uri) {
        return builder(Problem.unauthenticated("this endpoint needs a bearer token (Authorization: Bearer <token>)"), uri)
                .header("WWW-Authenticate", "Bearer").build();
    }

    /** A token that is not valid: expired, signed by another key, another issuer or audience, or malformed. */
    @ServerExceptionMapper
    public Response authenticationFailed(io.quarkus.security.AuthenticationFailedException e, UriInfo uri) {
        String why = Auth.whyInvalid(e);
        return builder(Problem.unauthenticated("the bearer token is not valid: " + why), uri)
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"").build();
    }

    /** A valid token without a role the endpoint needs. */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri) {
        return respond(Problem.forbidden("the token's roles do not allow this request; see docs/security.md for the role"
                + " each endpoint needs"), uri);
    }

    @ServerExceptionMapper
    public Response invalidEvent(InvalidEventException e, UriInfo uri) {
        return respond(Problem.invalidField(e.field(), e.reason()), uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonMappingException m) {
            return respond(Problem.invalidField(EventJson.fieldPath(m), EventJson.describe(m)), uri);
        }
        return respond(Problem.invalidField(EventJson.duplicatedField(e), EventJson.malformed(e)), uri);
    }

    /** Jackson's type errors in typed bodies; mapped at this exact type so that it wins over the built-in mapper. */
    @ServerExceptionMapper
    public Response mismatchedInput(com.fasterxml.jackson.databind.exc.MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return respond(Problem.notFound("no resource at " + uri.getPath()), uri);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 100)
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = e instanceof NotAllowedException ? "Method not allowed"
                : e instanceof NotSupportedException ? "Unsupported media type"
                : Response.Status.fromStatusCode(status) == null ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase();
        return respond(new Problem("/problems/http-" + status, title, status, EventJson.withoutJavaNames(e.getMessage()),
                null, List.of()), uri);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.errorf(e, "unexpected error on %s", uri.getPath());
        return respond(new Problem("/problems/internal", "Internal error", 500,
                "the request could not be completed; the error is logged", null, List.of()), uri);
    }

    static Response respond(Problem problem, UriInfo uri) {
        return builder(problem, uri).build();
    }

    private static Response.ResponseBuilder builder(Problem problem, UriInfo uri) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE)
                .entity(problem.withoutJavaNames().at(uri.getPath()));
    }
}
