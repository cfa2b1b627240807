package io.carbonstream.support;

import io.carbonstream.events.Violation;

import java.util.List;

/** Thrown anywhere in request handling to answer with a {@link Problem}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final transient java.util.Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, java.util.Map.of());
    }

    /** A problem answered with these response headers too ({@code Retry-After}, {@code WWW-Authenticate}). */
    public ProblemException(Problem problem, java.util.Map<String, String> headers) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = java.util.Map.copyOf(headers);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.forbidden(detail));
    }

    public static ProblemException invalid(List<Violation> violations) {
        String detail = violations.size() == 1 ? violations.get(0).toString()
                : violations.size() + " fields are invalid: " + violations.get(0) + ", ...";
        return new ProblemException(Problem.invalid(detail, violations));
    }

    public static ProblemException invalidField(String field, String message) {
        return new ProblemException(Problem.invalidField(field, message));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.notFound(detail));
    }

    public Problem problem() {
        return problem;
    }

    public java.util.Map<String, String> headers() {
        return headers;
    }
}
