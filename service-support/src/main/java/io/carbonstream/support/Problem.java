package io.carbonstream.support;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.Violation;

import java.util.List;

/**
 * An RFC 9457 problem detail, served as {@code application/problem+json}.
 *
 * @param type       URI naming the kind of problem (relative to the API)
 * @param title      short, fixed summary of the kind
 * @param status     the HTTP status
 * @param detail     what went wrong in this occurrence
 * @param instance   the request path
 * @param violations the offending fields, each with its reason
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem invalid(String detail, List<Violation> violations) {
        return new Problem("/problems/invalid-request", "Invalid request", 400, detail, null, violations);
    }

    public static Problem invalidField(String field, String message) {
        return invalid(field == null ? message : field + ": " + message, List.of(new Violation(field, message)));
    }

    public static Problem notFound(String detail) {
        return new Problem("/problems/not-found", "Not found", 404, detail, null, List.of());
    }

    public static Problem conflict(String detail) {
        return new Problem("/problems/conflict", "Conflict", 409, detail, null, List.of());
    }

    /** 503: something the answer needs (a store, another service, the broker) cannot be used right now. */
    public static Problem unavailable(String detail) {
        return new Problem("/problems/unavailable", "Unavailable", 503, detail, null, List.of());
    }

    /** 401: no bearer token, or one that is not valid. */
    public static Problem unauthenticated(String detail) {
        return new Problem("/problems/unauthenticated", "Unauthenticated", 401, detail, null, List.of());
    }

    /** 403: a valid token whose roles or tenant do not allow the request. */
    public static Problem forbidden(String detail) {
        return new Problem("/problems/forbidden", "Forbidden", 403, detail, null, List.of());
    }

    /** 429: over a rate limit; the answer says when to try again. */
    public static Problem tooManyRequests(String detail) {
        return new Problem("/problems/too-many-requests", "Too many requests", 429, detail, null, List.of());
    }

    /** This problem with qualified Java class names in its texts reduced to simple names, and long texts cut. */
    Problem withoutJavaNames() {
        List<Violation> clean = violations == null ? null : violations.stream()
                .map(v -> new Violation(EventJson.truncate(v.field(), 256), EventJson.withoutJavaNames(v.message()))).toList();
        return new Problem(type, title, status, EventJson.withoutJavaNames(detail), instance, clean);
    }

    /** This problem at a request path; a path longer than 256 characters is left out rather than echoed. */
    Problem at(String path) {
        if (path != null && path.length() > 256) {
            path = null;
        }
        return new Problem(type, title, status, detail, path, violations);
    }
}
