package io.carbonstream.e2e;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;

/** The waits the end-to-end tests share: for a job's footprint to count its batches, and a plain pause. */
final class Await {

    /**
     * How long a footprint may take to count a job's batches: longer than the producers' delivery timeout (120 s),
     * because a stream service's transactional producer can retry one produce that long (the broker answering
     * CONCURRENT_TRANSACTIONS, then OUT_OF_ORDER_SEQUENCE_NUMBER, seen once on a loaded 2-core machine) before its
     * task recovers; a footprint later than that is a failure.
     */
    static final Duration FOOTPRINT = Duration.ofMinutes(3);

    private Await() {
    }

    /** The footprint of a job of the shared stack once it counts {@code batches}, asked for with the admin token. */
    static FootprintEvent footprint(String job, int batches) {
        return footprint(LocalStack.shared().carbon(), null, job, batches, FOOTPRINT, () -> "");
    }

    /** The same on {@code stack}, within {@code timeout}; a failure tells what each service was doing. */
    static FootprintEvent footprint(LocalStack stack, String job, int batches, Duration timeout) {
        return footprint(stack.carbon(), null, job, batches, timeout, () -> Diagnosis.of(stack, java.util.List.of(job)));
    }

    /**
     * The footprint of {@code job} from the carbon-service at {@code carbonUrl} once it counts {@code batches},
     * polled every 250 ms for up to {@code timeout}, with {@code token} (null: RestAssured's default, the admin's).
     * A service that does not answer (restarting, its pod being replaced) is asked again; the failure names the
     * last footprint seen and {@code diagnosis}.
     */
    static FootprintEvent footprint(String carbonUrl, String token, String job, int batches, Duration timeout,
                                    Supplier<String> diagnosis) {
        long deadline = System.nanoTime() + timeout.toNanos();
        FootprintEvent last = null;
        String unanswered = null;
        while (System.nanoTime() < deadline) {
            try {
                RequestSpecification request = given().baseUri(carbonUrl);
                if (token != null) {
                    request = request.auth().oauth2(token);
                }
                Response response = request.when().get("/footprints/" + job);
                if (response.statusCode() == 200) {
                    last = EventJson.decode(response.asByteArray(), FootprintEvent.class);
                    if (last.batches() >= batches) {
                        return last;
                    }
                }
            } catch (Exception notListening) {
                // RestAssured throws a refused connection as the checked java.net.ConnectException
                unanswered = notListening.toString();
            }
            sleep(250);
        }
        throw new AssertionError("footprint of " + job + " did not reach " + batches + " batches in " + timeout + ": "
                + (last == null ? "none" : last) + (unanswered == null ? "" : "; last unanswered request: " + unanswered)
                + diagnosis.get());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
