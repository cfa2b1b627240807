package io.carbonstream.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every endpoint of every service, as listed by the services' own OpenAPI documents, against the isolation matrix
 * below: without a token 401, with a refused token 401, with a role it does not allow 403, with each role it allows
 * the answer of a caller who got through the door; and for every endpoint that holds a tenant's data, tenant B's
 * token on tenant A's resources answers as if they did not exist. An endpoint the matrix does not name fails the
 * test, so a new endpoint cannot ship without its line here (docs/security.md).
 */
@Order(5)
class SecurityIT {

    static final String A = "iso-a";
    static final String B = "iso-b";
    static final Set<String> ROLES = Set.of("trainer", "viewer", "admin");
    static final Set<String> READ = ROLES;
    static final Set<String> WRITE = Set.of("trainer", "admin");
    static final Set<String> ADMIN = Set.of("admin");

    /** Paths outside the matrix because they are public by design (docs/security.md says why). */
    static final List<String> PUBLIC = List.of("/q/health/live", "/q/health/ready", "/q/metrics", "/q/openapi");

    static LocalStack stack;
    /** Tenant A's resources: a built-in training run and a replay, each with a counted footprint. */
    static String runA;
    static String replayA;
    static String jobB;

    /** What an endpoint is: who may call it and whether it holds one tenant's data. */
    enum Scope { TENANT, SHARED, ADMIN_ONLY }

    /**
     * One line of the matrix: a request a caller who passed the door gets {@code passed} for (a harmless one: reads,
     * or writes with a body the service refuses with 400 after the door), and, for TENANT endpoints, what tenant B's
     * token sees of tenant A's resources.
     */
    record Op(String service, String method, String template, Scope scope, Set<String> roles, String path, String body,
              int passed, Consumer<String> isolation) {
    }

    @BeforeAll
    static void resources() {
        stack = LocalStack.shared();
        String trainerA = stack.token(A, "trainer");
        runA = given().auth().oauth2(trainerA).baseUri(stack.trainer()).contentType("application/json")
                .body("{\"steps\":5,\"batchSize\":16}")
                .when().post("/trainer/runs").then().statusCode(202).extract().path("jobId");
        replayA = replay(trainerA);
        jobB = replay(stack.token(B, "trainer"));
        Await.footprint(runA, 5);
        Await.footprint(replayA, 2);
        Await.footprint(jobB, 2);
    }

    static String replay(String token) {
        return given().auth().oauth2(token).baseUri(stack.trainer()).contentType("application/json").body("""
                        {"name":"iso","model":"iso-model","acceleratorType":"nvidia-t4","acceleratorCount":2,"hours":2,
                         "averagePowerWatts":60,"datacenter":"on-prem-de","windowsPerSecond":0}""")
                .when().post("/replays").then().statusCode(202).extract().path("jobId");
    }

    String base(String service) {
        return switch (service) {
            case "trainer" -> stack.trainer();
            case "telemetry" -> stack.telemetry();
            default -> stack.carbon();
        };
    }

    /** The matrix: one line per endpoint of the three services. */
    Map<String, Op> matrix() {
        Map<String, Op> m = new LinkedHashMap<>();
        String viewerB = stack.token(B, "viewer");
        String trainerB = stack.token(B, "trainer");
        Consumer<String> absentForB = path -> notFound(viewerB, path);

        // trainer-service
        add(m, new Op("trainer", "GET", "/jobs", Scope.TENANT, READ, "/jobs", null, 200, path -> {
            List<String> ids = given().auth().oauth2(viewerB).baseUri(stack.trainer()).get("/jobs").then().statusCode(200)
                    .extract().path("id");
            assertFalse(ids.contains(runA) || ids.contains(replayA), "B lists none of A's jobs");
            assertTrue(ids.contains(jobB), "B lists its own jobs");
            given().auth().oauth2(viewerB).baseUri(stack.trainer()).get("/jobs?tenant=" + A).then().statusCode(200)
                    .body("size()", equalTo(0));
        }));
        add(m, new Op("trainer", "POST", "/jobs", Scope.TENANT, WRITE, "/jobs", "{}", 400, path ->
                given().auth().oauth2(trainerB).baseUri(stack.trainer()).contentType("application/json")
                        .body("{\"tenant\":\"" + A + "\",\"name\":\"x\",\"datacenter\":\"on-prem-de\"}").post(path)
                        .then().statusCode(403).contentType("application/problem+json")));
        add(m, new Op("trainer", "GET", "/jobs/{id}", Scope.TENANT, READ, "/jobs/" + runA, null, 200,
                path -> sameAsAbsent(viewerB, "trainer", "GET", path, runA, null)));
        add(m, new Op("trainer", "POST", "/jobs/{id}/finish", Scope.TENANT, WRITE, "/jobs/" + runA + "/finish",
                "{\"state\":\"BOGUS\"}", 400, path -> sameAsAbsent(trainerB, "trainer", "POST", path, runA, "{}")));
        add(m, new Op("trainer", "POST", "/jobs/{id}/batches", Scope.TENANT, WRITE, "/jobs/" + runA + "/batches", "{}", 400,
                path -> {
                    Instant t = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
                    sameAsAbsent(trainerB, "trainer", "POST", path, runA, "{\"step\":99,\"startedAt\":\"%s\",\"endedAt\":\"%s\",\"samples\":1}"
                            .formatted(t, t.plusSeconds(1)));
                }));
        add(m, new Op("trainer", "POST", "/trainer/runs", Scope.TENANT, WRITE, "/trainer/runs", "{\"steps\":0}", 400, path ->
                given().auth().oauth2(trainerB).baseUri(stack.trainer()).contentType("application/json")
                        .body("{\"tenant\":\"" + A + "\",\"steps\":1}").post(path).then().statusCode(403)));
        add(m, new Op("trainer", "GET", "/trainer/runs/{jobId}", Scope.TENANT, READ, "/trainer/runs/" + runA, null, 200,
                path -> sameAsAbsent(viewerB, "trainer", "GET", path, runA, null)));
        add(m, new Op("trainer", "POST", "/replays", Scope.TENANT, WRITE, "/replays", "{}", 400, path ->
                given().auth().oauth2(trainerB).baseUri(stack.trainer()).contentType("application/json")
                        .body("{\"tenant\":\"" + A + "\"}").post(path).then().statusCode(403)));
        add(m, new Op("trainer", "GET", "/replays/{jobId}", Scope.TENANT, READ, "/replays/" + replayA, null, 200,
                path -> sameAsAbsent(viewerB, "trainer", "GET", path, replayA, null)));

        // telemetry-service: the catalog is shared by every tenant; changing it is an admin's
        add(m, new Op("telemetry", "GET", "/hardware", Scope.SHARED, READ, "/hardware", null, 200, null));
        add(m, new Op("telemetry", "POST", "/hardware", Scope.ADMIN_ONLY, ADMIN, "/hardware", "{}", 400, null));
        add(m, new Op("telemetry", "GET", "/hardware/{id}", Scope.SHARED, READ, "/hardware/nvidia-t4", null, 200, null));
        add(m, new Op("telemetry", "PUT", "/hardware/{id}", Scope.ADMIN_ONLY, ADMIN, "/hardware/nvidia-t4", "{", 400, null));
        add(m, new Op("telemetry", "DELETE", "/hardware/{id}", Scope.ADMIN_ONLY, ADMIN, "/hardware/iso-none", null, 404, null));
        add(m, new Op("telemetry", "GET", "/hardware/{id}/versions", Scope.SHARED, READ, "/hardware/nvidia-t4/versions", null, 200, null));
        add(m, new Op("telemetry", "GET", "/hardware/{id}/power", Scope.SHARED, READ, "/hardware/nvidia-t4/power?utilization=0.5", null, 200, null));
        add(m, new Op("telemetry", "POST", "/hardware/{id}/calibration", Scope.ADMIN_ONLY, ADMIN, "/hardware/nvidia-t4/calibration", "{", 400, null));
        add(m, new Op("telemetry", "GET", "/dead-letters", Scope.TENANT, READ, "/dead-letters", null, 200, path -> deadLetters()));
        add(m, new Op("telemetry", "POST", "/dead-letters/redrive", Scope.ADMIN_ONLY, ADMIN, "/dead-letters/redrive",
                "{\"jobId\":\"iso-none\"}", 200, null));

        // carbon-service: footprints and roll-ups are a tenant's; grid, data centres and estimates are shared
        for (String tail : List.of("", "/timeline", "/report", "/impact", "/what-if?zone=SE")) {
            String template = "/footprints/{jobId}" + tail.replaceAll("\\?.*", "");
            add(m, new Op("carbon", "GET", template, Scope.TENANT, READ, "/footprints/" + runA + tail, null, 200,
                    path -> sameAsAbsent(viewerB, "carbon", "GET", path, runA, null)));
        }
        add(m, new Op("carbon", "GET", "/footprints/{jobId}/stream", Scope.TENANT, READ, "/footprints/" + runA + "/stream",
                null, 200, path -> assertEquals(404, streamStatus(viewerB, path))));
        add(m, new Op("carbon", "GET", "/rollups", Scope.TENANT, READ, "/rollups", null, 200, path -> rollups(viewerB)));
        add(m, new Op("carbon", "GET", "/footprints", Scope.TENANT, READ, "/footprints", null, 200, path -> {
            // B lists its own jobs only; an admin every tenant's
            given().auth().oauth2(viewerB).baseUri(stack.carbon()).get(path).then().statusCode(200)
                    .body("tenant", org.hamcrest.Matchers.everyItem(equalTo(B)))
                    .body("jobId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(runA)));
            given().auth().oauth2(viewerB).baseUri(stack.carbon()).queryParam("tenant", A).get(path).then().statusCode(200)
                    .body("size()", equalTo(0));
            given().baseUri(stack.carbon()).queryParam("tenant", A).get(path).then().statusCode(200)
                    .body("jobId", org.hamcrest.Matchers.hasItem(runA));
        }));
        add(m, new Op("carbon", "GET", "/budgets/tenants/{tenant}", Scope.TENANT, READ, "/budgets/tenants/" + A, null, 404,
                absentForB));
        add(m, new Op("carbon", "PUT", "/budgets/tenants/{tenant}", Scope.ADMIN_ONLY, ADMIN, "/budgets/tenants/iso-none", "{}",
                400, null));
        add(m, new Op("carbon", "DELETE", "/budgets/tenants/{tenant}", Scope.ADMIN_ONLY, ADMIN, "/budgets/tenants/iso-none",
                null, 200, null));
        add(m, new Op("carbon", "GET", "/rollups/tenants/{tenant}", Scope.TENANT, READ, "/rollups/tenants/" + A, null, 200,
                absentForB));
        add(m, new Op("carbon", "GET", "/rollups/models/{model}", Scope.TENANT, READ, "/rollups/models/iso-model", null, 200,
                path -> {
                    // B gets its own jobs of the model, never A's: one job each, two for an admin
                    given().auth().oauth2(viewerB).baseUri(stack.carbon()).get(path).then().statusCode(200)
                            .body("tenant", equalTo(B)).body("jobs", equalTo(1));
                    given().auth().oauth2(stack.token(A, "viewer")).baseUri(stack.carbon()).get(path).then().statusCode(200)
                            .body("tenant", equalTo(A)).body("jobs", equalTo(1));
                    given().baseUri(stack.carbon()).get(path).then().statusCode(200).body("kind", equalTo("MODEL"))
                            .body("jobs", equalTo(2));
                }));
        add(m, new Op("carbon", "GET", "/intensity/{zone}", Scope.SHARED, READ, "/intensity/SE", null, 200, null));
        add(m, new Op("carbon", "GET", "/intensity/{zone}/history", Scope.SHARED, READ, "/intensity/SE/history", null, 200, null));
        add(m, new Op("carbon", "GET", "/intensity/{zone}/best-window", Scope.SHARED, READ, "/intensity/SE/best-window?hours=1",
                null, 200, null));
        add(m, new Op("carbon", "GET", "/intensity/best-zone", Scope.SHARED, READ, "/intensity/best-zone?zones=SE,DE&hours=1",
                null, 200, null));
        add(m, new Op("carbon", "GET", "/intensity/providers", Scope.SHARED, READ, "/intensity/providers", null, 200, null));
        add(m, new Op("carbon", "POST", "/intensity", Scope.ADMIN_ONLY, ADMIN, "/intensity", "{", 400, null));
        add(m, new Op("carbon", "GET", "/datacenters", Scope.SHARED, READ, "/datacenters", null, 200, null));
        add(m, new Op("carbon", "POST", "/datacenters", Scope.ADMIN_ONLY, ADMIN, "/datacenters", "{", 400, null));
        add(m, new Op("carbon", "GET", "/datacenters/{id}", Scope.SHARED, READ, "/datacenters/aws-eu-north-1", null, 200, null));
        add(m, new Op("carbon", "PUT", "/datacenters/{id}", Scope.ADMIN_ONLY, ADMIN, "/datacenters/aws-eu-north-1", "{", 400, null));
        add(m, new Op("carbon", "DELETE", "/datacenters/{id}", Scope.ADMIN_ONLY, ADMIN, "/datacenters/iso-none", null, 404, null));
        add(m, new Op("carbon", "POST", "/datacenters/{id}/pue", Scope.ADMIN_ONLY, ADMIN, "/datacenters/aws-eu-north-1/pue", "{",
                400, null));
        add(m, new Op("carbon", "GET", "/datacenters/{id}/instruments", Scope.SHARED, READ, "/datacenters/aws-eu-north-1/instruments",
                null, 200, null));
        add(m, new Op("carbon", "POST", "/datacenters/{id}/instruments", Scope.ADMIN_ONLY, ADMIN,
                "/datacenters/aws-eu-north-1/instruments", "{", 400, null));
        add(m, new Op("carbon", "DELETE", "/datacenters/{id}/instruments/{instrument}", Scope.ADMIN_ONLY, ADMIN,
                "/datacenters/aws-eu-north-1/instruments/no-such-instrument", null, 404, null));
        add(m, new Op("carbon", "GET", "/residual-mixes", Scope.SHARED, READ, "/residual-mixes", null, 200, null));
        add(m, new Op("carbon", "GET", "/reports/tenants/{tenant}/months/{month}", Scope.TENANT, READ,
                "/reports/tenants/" + A + "/months/2026-03", null, 200, path -> sameAsAbsent(viewerB, "carbon", "GET", path, A, null)));
        add(m, new Op("carbon", "GET", "/reports/tenants/{tenant}/months/{month}/rollups", Scope.TENANT, READ,
                "/reports/tenants/" + A + "/months/2026-03/rollups", null, 200,
                path -> sameAsAbsent(viewerB, "carbon", "GET", path, A, null)));
        add(m, new Op("carbon", "POST", "/residual-mixes", Scope.ADMIN_ONLY, ADMIN, "/residual-mixes", "{", 400, null));
        add(m, new Op("carbon", "POST", "/estimates", Scope.SHARED, READ, "/estimates", """
                {"acceleratorType":"nvidia-t4","acceleratorCount":1,"hours":1,"averageUtilization":0.5,"pue":1.1,"gCo2ePerKWh":100}""",
                200, null));
        add(m, new Op("carbon", "POST", "/estimates/compare", Scope.SHARED, READ, "/estimates/compare", "{", 400, null));
        return m;
    }

    static void add(Map<String, Op> m, Op op) {
        m.put(op.service() + " " + op.method() + " " + op.template(), op);
    }

    @Test
    void everyEndpointInTheServicesOwnOpenApiIsInTheMatrixAndTheMatrixNamesNoOther() throws Exception {
        Set<String> listed = new TreeSet<>();
        for (String service : List.of("trainer", "telemetry", "carbon")) {
            // the API description is public: it holds no tenant's data
            JsonNode api = EventJson.mapper().readTree(given().auth().none().baseUri(base(service))
                    .get("/q/openapi?format=json").then().statusCode(200).extract().asByteArray());
            for (Iterator<Map.Entry<String, JsonNode>> paths = api.get("paths").fields(); paths.hasNext(); ) {
                var path = paths.next();
                for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                    String method = methods.next().toUpperCase();
                    if (Set.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                        listed.add(service + " " + method + " " + path.getKey());
                    }
                }
            }
        }
        Set<String> covered = new TreeSet<>(matrix().keySet());
        Set<String> uncovered = new TreeSet<>(listed);
        uncovered.removeAll(covered);
        assertTrue(uncovered.isEmpty(), "endpoints neither in the isolation matrix nor public: " + uncovered);
        Set<String> stale = new TreeSet<>(covered);
        stale.removeAll(listed);
        assertTrue(stale.isEmpty(), "matrix lines for endpoints no service has: " + stale);
        assertTrue(listed.size() >= 40, "the three services' endpoints: " + listed);
    }

    @Test
    void everyEndpointRefusesMissingAndBadTokensAndRolesItDoesNotAllow() {
        List<String> wrong = new ArrayList<>();
        var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String unsigned = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"tenant\":\"" + A + "\",\"groups\":[\"admin\"],\"iss\":\"carbonstream-local\","
                + "\"aud\":\"carbonstream\",\"exp\":" + (Instant.now().getEpochSecond() + 3600) + "}").getBytes(StandardCharsets.UTF_8)) + ".";
        String[] refused = {null, "x.y.z", stack.foreignToken(A, "admin"), unsigned};
        for (Op op : matrix().values()) {
            for (String token : refused) {
                Response r = call(token, op.service(), op.method(), op.path(), op.body());
                expect(wrong, op, token == null ? "no token" : "refused token", r, 401);
            }
            for (String role : ROLES) {
                String token = stack.token(A, role);
                int expected = op.roles().contains(role) ? op.passed() : 403;
                if (op.template().endsWith("/stream")) {
                    int status = streamStatus(token, op.path());
                    if (status != expected) {
                        wrong.add(op.method() + " " + op.path() + " as " + role + ": " + status + ", expected " + expected);
                    }
                    continue;
                }
                expect(wrong, op, role, call(token, op.service(), op.method(), op.path(), op.body()), expected);
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " wrong answers:\n" + String.join("\n", wrong));
        // open to probes, scrapers and API clients without a token
        for (String service : List.of("trainer", "telemetry", "carbon")) {
            for (String path : PUBLIC) {
                given().auth().none().baseUri(base(service)).get(path).then().statusCode(200);
            }
        }
    }

    @Test
    void tenantBSeesNothingOfTenantA() {
        int checked = 0;
        for (Op op : matrix().values()) {
            if (op.scope() == Scope.TENANT) {
                op.isolation().accept(op.path());
                checked++;
            }
        }
        assertTrue(checked >= 18, "every tenant endpoint checked: " + checked);
        // and A's resources are untouched by B's attempts
        given().auth().oauth2(stack.token(A, "viewer")).baseUri(stack.trainer()).get("/jobs/" + runA)
                .then().statusCode(200).body("state", equalTo("FINISHED")).body("tenant", equalTo(A));
        FootprintEvent f = EventJson.decode(given().auth().oauth2(stack.token(A, "viewer")).baseUri(stack.carbon())
                .get("/footprints/" + runA).then().statusCode(200).extract().asByteArray(), FootprintEvent.class);
        assertEquals(5, f.batches(), "B's batch report was not counted into A's job");
    }

    @Test
    void noEventOfTenantBEverReachesTenantAsOpenStream() throws Exception {
        // A opens a stream on a job id nobody has used yet; then B registers a job with that id and trains it
        String job = "iso-shared-" + UUID.randomUUID();
        HttpClient http = HttpClient.newHttpClient();
        String url = stack.carbon() + "/footprints/" + job + "/stream";
        Listener a = new Listener(http, url, stack.token(A, "viewer"));
        Listener admin = new Listener(http, url, stack.admin());
        assertEquals(200, a.status, "A may follow a job id that is nobody's yet");
        assertEquals(200, admin.status);
        List<String> seenByA = a.data;
        List<String> seenByAdmin = admin.data;
        Thread.sleep(2_000);
        String trainerB = stack.token(B, "trainer");
        Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        given().auth().oauth2(trainerB).baseUri(stack.trainer()).contentType("application/json").body("""
                        {"id":"%s","name":"b-secret","acceleratorType":"nvidia-t4","datacenter":"on-prem-de","startedAt":"%s"}"""
                        .formatted(job, t0))
                .post("/jobs").then().statusCode(201);
        long deadline = System.currentTimeMillis() + 60_000;
        for (int step = 0; seenByAdmin.size() < 3 && System.currentTimeMillis() < deadline; step++) {
            Instant s = t0.plusSeconds(10L * step);
            given().auth().oauth2(trainerB).baseUri(stack.trainer()).contentType("application/json")
                    .body("{\"step\":%d,\"startedAt\":\"%s\",\"endedAt\":\"%s\",\"samples\":8}".formatted(step, s, s.plusSeconds(1)))
                    .post("/jobs/" + job + "/batches").then().statusCode(202);
            Thread.sleep(500);
        }
        Thread.sleep(2_000);
        a.close();
        admin.close();
        assertTrue(seenByAdmin.size() >= 3, "the admin's stream got B's updates: " + seenByAdmin);
        assertTrue(seenByAdmin.get(0).contains("\"tenant\":\"" + B + "\""), seenByAdmin.get(0));
        assertEquals(List.of(), seenByA, "not one of B's updates reached A's stream");
        // and once the job is known to be B's, A cannot even open its stream
        assertEquals(404, streamStatus(stack.token(A, "viewer"), "/footprints/" + job + "/stream"));
    }

    @Test
    void theLauncherIssuesTokensTheServicesAccept() {
        String token = stack.launcherToken("--tenant", A, "--role", "viewer", "--ttl", "10m");
        given().auth().oauth2(token).baseUri(stack.trainer()).get("/jobs").then().statusCode(200)
                .body("tenant", org.hamcrest.Matchers.everyItem(equalTo(A)));
        given().auth().oauth2(token).baseUri(stack.carbon()).get("/footprints/" + runA).then().statusCode(200);
    }

    // --- helpers

    /** An open SSE stream whose data lines are collected until it is closed. */
    static final class Listener implements AutoCloseable {
        final List<String> data = new CopyOnWriteArrayList<>();
        final int status;
        private final InputStream body;

        Listener(HttpClient http, String url, String token) throws Exception {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            status = r.statusCode();
            body = r.body();
            Thread reader = new Thread(() -> {
                try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(body, StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (line.startsWith("data:")) {
                            data.add(line);
                        }
                    }
                } catch (java.io.IOException closed) {
                    // the test closed the stream
                }
            }, "sse-listener");
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public void close() throws Exception {
            body.close();
        }
    }

    int streamStatus(String token, String path) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.carbon() + path))
                    .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(20));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<InputStream> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            r.body().close();
            return r.statusCode();
        } catch (Exception e) {
            throw new AssertionError("stream " + path + ": " + e, e);
        }
    }

    Response call(String token, String service, String method, String path, String body) {
        RequestSpecification r = token == null ? given().auth().none() : given().auth().oauth2(token);
        r = r.baseUri(base(service)).urlEncodingEnabled(false);
        if (body != null) {
            r = r.contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8));
        }
        return r.request(method, path);
    }

    static void expect(List<String> wrong, Op op, String as, Response r, int status) {
        String type = r.contentType() == null ? "" : r.contentType();
        if (r.statusCode() != status) {
            wrong.add(op.method() + " " + op.path() + " as " + as + ": " + r.statusCode() + ", expected " + status
                    + " " + cut(r.asString()));
        } else if (status >= 400 && !type.startsWith("application/problem+json")) {
            wrong.add(op.method() + " " + op.path() + " as " + as + ": " + status + " as '" + type + "'");
        } else if (status == 401 && !String.valueOf(r.header("WWW-Authenticate")).startsWith("Bearer")) {
            wrong.add(op.method() + " " + op.path() + " as " + as + ": 401 without WWW-Authenticate: Bearer");
        }
    }

    static String cut(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    void notFound(String token, String path) {
        call(token, "carbon", "GET", path, null).then().statusCode(404).contentType("application/problem+json");
    }

    /** B's answer on A's resource is exactly the answer on a resource that does not exist (ids aside). */
    void sameAsAbsent(String token, String service, String method, String path, String existing, String body) {
        String none = "iso-none-" + UUID.randomUUID();
        Response hidden = call(token, service, method, path, body);
        Response absent = call(token, service, method, path.replace(existing, none), body);
        assertTrue(hidden.statusCode() == 404 || hidden.statusCode() == 400, method + " " + path + ": " + hidden.statusCode());
        assertEquals(absent.statusCode(), hidden.statusCode(), method + " " + path);
        assertEquals(absent.asString().replace(none, "ID"), hidden.asString().replace(existing, "ID"), method + " " + path);
    }

    void rollups(String viewerB) {
        List<Map<String, Object>> seen = given().auth().oauth2(viewerB).baseUri(stack.carbon()).get("/rollups")
                .then().statusCode(200).extract().path("$");
        assertFalse(seen.isEmpty());
        for (Map<String, Object> r : seen) {
            assertEquals(B, r.get("tenant"), "B's roll-ups are B's only: " + r);
            assertTrue(!"MODEL".equals(r.get("kind")), "no cross-tenant model totals for B: " + r);
        }
        List<String> tenants = given().baseUri(stack.carbon()).get("/rollups").then().statusCode(200).extract().path("tenant");
        assertTrue(tenants.contains(A) && tenants.contains(B), "an admin sees every tenant: " + tenants);
    }

    void deadLetters() {
        // a batch of B's that telemetry-service cannot price (unknown hardware) is dead-lettered with B's tenant
        String trainerB = stack.token(B, "trainer");
        Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String job = given().auth().oauth2(trainerB).baseUri(stack.trainer()).contentType("application/json").body("""
                        {"name":"b-dlq","acceleratorType":"iso-unknown-gpu","datacenter":"on-prem-de","startedAt":"%s"}"""
                        .formatted(t0))
                .post("/jobs").then().statusCode(201).extract().path("id");
        given().auth().oauth2(trainerB).baseUri(stack.trainer()).contentType("application/json")
                .body("{\"step\":0,\"startedAt\":\"%s\",\"endedAt\":\"%s\",\"samples\":8}".formatted(t0, t0.plusSeconds(1)))
                .post("/jobs/" + job + "/batches").then().statusCode(202);
        long deadline = System.currentTimeMillis() + 60_000;
        int forB = 0;
        while (forB == 0 && System.currentTimeMillis() < deadline) {
            Await.sleep(500);
            forB = given().auth().oauth2(stack.token(B, "viewer")).baseUri(stack.telemetry()).get("/dead-letters?jobId=" + job)
                    .then().statusCode(200).extract().path("size()");
        }
        assertEquals(1, forB, "B sees its own dead letter");
        given().baseUri(stack.telemetry()).get("/dead-letters?jobId=" + job).then().statusCode(200).body("size()", equalTo(1));
        given().auth().oauth2(stack.token(A, "viewer")).baseUri(stack.telemetry()).get("/dead-letters?jobId=" + job)
                .then().statusCode(200).body("size()", equalTo(0));
        List<String> keysForA = given().auth().oauth2(stack.token(A, "viewer")).baseUri(stack.telemetry())
                .get("/dead-letters?limit=10000").then().statusCode(200).extract().path("letter.key");
        assertFalse(keysForA.contains(job), "A's listing holds none of B's letters");
        given().auth().oauth2(stack.token(A, "trainer")).baseUri(stack.telemetry()).contentType("application/json")
                .body("{}").post("/dead-letters/redrive").then().statusCode(403).body(containsString("roles"));
    }
}
