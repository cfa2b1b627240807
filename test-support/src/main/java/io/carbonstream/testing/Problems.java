package io.carbonstream.testing;

import io.restassured.response.Response;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Assertions on the RFC 9457 problem documents the services answer bad input with. */
public final class Problems {

    private Problems() {
    }

    /** The response is a 400 problem whose first violation names {@code field} with a message containing {@code message}. */
    public static void refused(Response response, String field, String message) {
        response.then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo(field))
                .body("violations[0].message", containsString(message));
    }
}
