package io.carbonstream.support;

import io.carbonstream.events.EventJson;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The HTTP edge of every service, in front of the REST resources: requests beyond the limits are answered here,
 * as problem+json, before anything reads them, and so are failures of the layers below the resources (a body over
 * the size limit, a failure no resource mapped).
 * <ul>
 *   <li>414 for a request line (path and query) over {@value #MAX_URI_LENGTH} characters;</li>
 *   <li>431 for headers over {@value #MAX_HEADERS_LENGTH} characters in all;</li>
 *   <li>413 for a body declared larger than {@code quarkus.http.limits.max-body-size};</li>
 *   <li>400 for a path or query with control characters (NUL included) or broken percent-encoding.</li>
 * </ul>
 * The HTTP decoder's own limits ({@code quarkus.http.limits.max-initial-line-length} and
 * {@code max-header-size}) are set far above these, so that these answer first.
 */
@ApplicationScoped
public class HttpEdge {

    public static final int MAX_URI_LENGTH = 8192;
    public static final int MAX_HEADERS_LENGTH = 32768;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    io.quarkus.runtime.configuration.MemorySize maxBody;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
    }

    void check(RoutingContext ctx) {
        String uri = ctx.request().uri();
        if (uri.length() > MAX_URI_LENGTH) {
            respond(ctx, new Problem("/problems/uri-too-long", "URI too long", 414, "the request line is " + uri.length()
                    + " characters; at most " + MAX_URI_LENGTH + " are accepted", null, List.of()));
            return;
        }
        int headers = 0;
        for (var h : ctx.request().headers()) {
            headers += h.getKey().length() + h.getValue().length() + 4;
        }
        if (headers > MAX_HEADERS_LENGTH) {
            respond(ctx, new Problem("/problems/headers-too-large", "Request header fields too large", 431,
                    "the headers are " + headers + " characters; at most " + MAX_HEADERS_LENGTH + " are accepted", null, List.of()));
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLarge(length)) {
            respond(ctx, tooLargeProblem());
            return;
        }
        String problem = unreadableUri(uri);
        if (problem != null) {
            respond(ctx, Problem.invalidField(null, problem));
            return;
        }
        ctx.next();
    }

    private boolean tooLarge(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBody.asLongValue();
        } catch (NumberFormatException e) {
            return false; // the HTTP decoder refuses it
        }
    }

    private Problem tooLargeProblem() {
        return new Problem("/problems/payload-too-large", "Payload too large", 413,
                "the body is larger than " + maxBody.asLongValue() + " bytes", null, List.of());
    }

    /** Why a request's path or query cannot be read, or null when it can. */
    static String unreadableUri(String uri) {
        String decoded;
        try {
            decoded = URLDecoder.decode(uri.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "the path or query has a broken percent-encoding";
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "the path or query contains a control character (code " + (int) c + ")";
            }
        }
        return null;
    }

    void failure(RoutingContext ctx) {
        if (ctx.response().headWritten() || ctx.response().ended()) {
            ctx.next();
            return;
        }
        int status = ctx.statusCode();
        Throwable failure = ctx.failure();
        if (status == 413 || (failure != null && failure.getClass().getSimpleName().contains("TooLarge"))) {
            respond(ctx, tooLargeProblem());
        } else if (status >= 400 && status < 500) {
            respond(ctx, new Problem("/problems/http-" + status, reasonPhrase(status), status,
                    failure == null ? null : EventJson.withoutJavaNames(failure.getMessage()), null, List.of()));
        } else {
            respond(ctx, new Problem("/problems/internal", "Internal error", 500,
                    "the request could not be completed; the error is logged", null, List.of()));
            org.jboss.logging.Logger.getLogger(HttpEdge.class).errorf(failure, "unhandled failure on %s", ctx.request().path());
        }
    }

    private static String reasonPhrase(int status) {
        var s = jakarta.ws.rs.core.Response.Status.fromStatusCode(status);
        return s == null ? "Error" : s.getReasonPhrase();
    }

    private static void respond(RoutingContext ctx, Problem problem) {
        Problem at = problem.at(ctx.request().path());
        ctx.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (problem.status() == 413 || problem.status() == 414 || problem.status() == 431) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ctx.response().end(EventJson.encodeToString(at));
    }
}
