package io.carbonstream.support;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.Limits;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Query parameters read with the same limits as JSON bodies: instants in the century, decimals of sane size. */
public final class Params {

    private Params() {
    }

    /** An ISO-8601 instant in {@link Limits#EARLIEST}..{@link Limits#LATEST}, or a 400 naming the parameter. */
    public static Instant instant(String field, String text) {
        Instant t;
        try {
            t = Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, quote(text) + " is not an ISO-8601 instant such as 2026-01-01T00:00:00Z");
        }
        if (!Limits.inRange(t)) {
            throw ProblemException.invalidField(field, Limits.outOfRange(t));
        }
        return t;
    }

    /** A decimal within {@link Limits#decimalProblem}'s bounds, or a 400 naming the parameter. */
    public static BigDecimal decimal(String field, String text) {
        BigDecimal d;
        try {
            d = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField(field, quote(text) + " is not a number");
        }
        String problem = Limits.decimalProblem(d);
        if (problem != null) {
            throw ProblemException.invalidField(field, problem);
        }
        return d;
    }

    private static String quote(String text) {
        return "\"" + EventJson.truncate(text, 100) + "\"";
    }
}
