package io.carbonstream.trainer;

import io.carbonstream.testing.QuarkusInfrastructure;
import io.carbonstream.testing.TestTokens;
import io.carbonstream.trainer.rest.ReportRateLimit;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tokens, roles and tenants at trainer-service's door (the whole matrix of every service: e2e SecurityIT). */
@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "trainer"))
class SecurityTest {

    @Inject
    ReportRateLimit rateLimit;

    final Instant t0 = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

    String register(String token, String tenantInBody) {
        return given().auth().oauth2(token).contentType("application/json").body("""
                        {%s"name":"bert","acceleratorType":"nvidia-t4","datacenter":"on-prem-de","startedAt":"%s"}"""
                        .formatted(tenantInBody == null ? "" : "\"tenant\":\"" + tenantInBody + "\",", t0))
                .when().post("/jobs").then().statusCode(201).extract().path("id");
    }

    String batch(long step) {
        return """
                {"step":%d,"startedAt":"%s","endedAt":"%s","samples":64}"""
                .formatted(step, t0.plusSeconds(step), t0.plusSeconds(step).plusMillis(500));
    }

    @Test
    void withoutAValidTokenEveryRequestIsRefusedWith401ProblemJsonSayingWhy() {
        Map<String, String> refused = Map.of(
                "", "needs a bearer token",
                "not-a-token", "malformed, wrongly signed, expired",
                TestTokens.expired("team-a", "viewer"), "it has expired",
                TestTokens.foreignKey("team-a", "viewer"), "signature does not verify",
                TestTokens.otherIssuer("team-a", "viewer"), "not issued by this deployment's issuer",
                TestTokens.otherAudience("team-a", "viewer"), "not meant for this deployment");
        refused.forEach((token, why) -> {
            var request = token.isEmpty() ? given().auth().none() : given().auth().none().header("Authorization", "Bearer " + token);
            request.when().get("/jobs")
                    .then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", containsString("Bearer"))
                    .body("status", equalTo(401))
                    .body("detail", containsString(why))
                    .body(not(containsString("Exception")));
        });
        // health and metrics stay open, for probes and scrapers
        given().auth().none().when().get("/q/health/ready").then().statusCode(200);
        given().auth().none().when().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aValidTokenWithoutTheRoleGets403() {
        given().auth().oauth2(TestTokens.of("team-a", "viewer")).contentType("application/json")
                .body("{\"name\":\"x\",\"datacenter\":\"on-prem-de\"}")
                .when().post("/jobs")
                .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        given().auth().oauth2(TestTokens.of("team-a", "viewer")).contentType("application/json").body("{}")
                .when().post("/trainer/runs").then().statusCode(403);
    }

    @Test
    void theTenantIsTheTokensNeverTheBodys() {
        String trainerA = TestTokens.of("team-a", "trainer");
        String job = register(trainerA, null);
        given().auth().oauth2(trainerA).when().get("/jobs/" + job).then().statusCode(200).body("tenant", equalTo("team-a"));
        // the body may repeat the token's tenant, not name another
        register(trainerA, "team-a");
        given().auth().oauth2(trainerA).contentType("application/json")
                .body("{\"tenant\":\"team-b\",\"name\":\"x\",\"datacenter\":\"on-prem-de\"}")
                .when().post("/jobs")
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("acts for its own tenant only"));
        given().auth().oauth2(trainerA).contentType("application/json").body("{\"tenant\":\"team-b\",\"steps\":1}")
                .when().post("/trainer/runs").then().statusCode(403);
        // an admin registers for any tenant
        String forB = register(TestTokens.admin(), "team-b");
        given().auth().oauth2(TestTokens.of("team-b", "viewer")).when().get("/jobs/" + forB)
                .then().statusCode(200).body("tenant", equalTo("team-b"));
    }

    @Test
    void anotherTenantsJobDoesNotExistForYou() {
        String job = register(TestTokens.of("team-a", "trainer"), null);
        String viewerB = TestTokens.of("team-b", "viewer");
        String trainerB = TestTokens.of("team-b", "trainer");
        String none = "job-" + UUID.randomUUID();

        // the same answer as for a job that does not exist, apart from the id
        String absent = given().auth().oauth2(viewerB).when().get("/jobs/" + none).then().statusCode(404).extract().path("detail");
        String hidden = given().auth().oauth2(viewerB).when().get("/jobs/" + job).then().statusCode(404).extract().path("detail");
        assertEquals(absent.replace(none, "ID"), hidden.replace(job, "ID"));
        given().auth().oauth2(viewerB).when().get("/jobs").then().statusCode(200).body("id", not(hasItem(job)));
        given().auth().oauth2(viewerB).when().get("/jobs?tenant=team-a").then().statusCode(200).body("size()", equalTo(0));
        given().auth().oauth2(TestTokens.of("team-a", "viewer")).when().get("/jobs?tenant=team-a")
                .then().statusCode(200).body("id", hasItem(job)).body("tenant", org.hamcrest.Matchers.everyItem(equalTo("team-a")));
        given().auth().oauth2(TestTokens.admin()).when().get("/jobs").then().statusCode(200).body("id", hasItem(job));

        given().auth().oauth2(trainerB).contentType("application/json").body(batch(1))
                .when().post("/jobs/" + job + "/batches")
                .then().statusCode(400).body("violations[0].message", equalTo("no job " + job + " is registered"));
        given().auth().oauth2(trainerB).when().post("/jobs/" + job + "/finish").then().statusCode(404);
        given().auth().oauth2(viewerB).when().get("/trainer/runs/" + job).then().statusCode(404);
        given().auth().oauth2(viewerB).when().get("/replays/" + job).then().statusCode(404);
        // and the job is untouched: its own tenant reports into it and finishes it
        given().auth().oauth2(TestTokens.of("team-a", "trainer")).contentType("application/json").body(batch(1))
                .when().post("/jobs/" + job + "/batches").then().statusCode(202);
        given().auth().oauth2(TestTokens.of("team-a", "trainer")).when().post("/jobs/" + job + "/finish")
                .then().statusCode(200).body("state", equalTo("FINISHED"));
    }

    @Test
    void aTenantOverItsBatchReportRateGets429WithRetryAfterAndNothingOfTheRequestIsSent() {
        String trainer = TestTokens.of("team-rate", "trainer");
        String job = register(trainer, null);
        rateLimit.limit(2, 5);
        try {
            String five = "[" + String.join(",", List.of(batch(1), batch(2), batch(3), batch(4), batch(5))) + "]";
            given().auth().oauth2(trainer).contentType("application/json").body(five)
                    .when().post("/jobs/" + job + "/batches").then().statusCode(202).body("accepted", equalTo(5));
            given().auth().oauth2(trainer).contentType("application/json").body("[" + batch(6) + "," + batch(7) + "]")
                    .when().post("/jobs/" + job + "/batches")
                    .then().statusCode(429).contentType("application/problem+json")
                    .header("Retry-After", "1")
                    .body("detail", containsString("2 batch reports per second"));
            // another tenant has a bucket of its own
            String other = register(TestTokens.of("team-other", "trainer"), null);
            given().auth().oauth2(TestTokens.of("team-other", "trainer")).contentType("application/json").body(batch(1))
                    .when().post("/jobs/" + other + "/batches").then().statusCode(202);
        } finally {
            rateLimit.limit(100_000, 200_000);
        }
    }
}
