package io.carbonstream.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carbonstream.events.DeadLetter;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded fuzz of every door, on the shared stack: thousands of hostile HTTP requests against every endpoint the
 * services' own OpenAPI documents list (and some they do not), and hostile raw records on every topic a service
 * reads. Every answer is below 500, every error is problem+json naming no Java internals, every raw record is
 * dead-lettered with its offset, no consumer stops, and a control job counted afterwards is exact.
 * {@code -Dcarbonstream.fuzz.seed=N} replays another seed; {@code -Dcarbonstream.fuzz.cases=N} sets the requests
 * per endpoint and method.
 */
@Order(2)
class FuzzIT {

    static final long SEED = Long.getLong("carbonstream.fuzz.seed", 20261123L);
    static final int CASES = Integer.getInteger("carbonstream.fuzz.cases", 60);
    /** Records per topic and kind of hostile record. */
    static final int RECORDS = Integer.getInteger("carbonstream.fuzz.records", 4);
    /** Java, framework and carbonstream class or package names that must never reach a client. */
    static final Pattern INTERNALS = Pattern.compile(
            "(java|javax|jakarta|com\\.fasterxml|org\\.(jboss|apache|hibernate|postgresql)|io\\.(carbonstream|vertx|quarkus|smallrye))\\.[a-z]"
                    + "|Exception\\b|\\bat [a-z]+\\.[a-z]+\\.");
    static final ObjectMapper JSON = new ObjectMapper();

    static LocalStack stack;
    final Random random = new Random(SEED);
    final Map<String, Integer> tried = new TreeMap<>();
    /** HTTP/1.1, as most training scripts speak it (for HTTP/2's own header limit, see docs/reliability.md). */
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void up() {
        stack = LocalStack.shared();
    }

    // ---------------------------------------------------------------- REST

    static final String[] HOSTILE_IDS = {"%00", "a%00b", "x".repeat(300), "%E2%9C%93", "..%2F..", "%25", "%20", "%7F",
            "%FF%FE", "nope", "%22%22%22", "a%0Ab", "1e999999999", "-1", "null", "%7B%7D"};
    static final String[] HOSTILE_PARAMS = {"1e999999999", "-1e999999999", "-1", "0", "1600-01-01T00:00:00Z",
            "-999999999-01-01T00:00:00Z", "%2B999999999-12-31T23:59:59Z", "NaN", "Infinity", "x".repeat(5000), "%00", "",
            "true", "%22", "1e5000", "9223372036854775808"};
    /** Values for body fields: each is wrong for most fields, and none is null (null means "absent"). */
    static final String[] HOSTILE_VALUES = {"1e999999999", "-1e999999999", "1e5000", "-1", "1e309", "\"NaN\"", "\"abc\"",
            "true", "[]", "{}", "\"\"", "\"\\u0000\"", "\"" + "x".repeat(300) + "\"", "\"" + "q".repeat(100_000) + "\"",
            "\"1600-01-01T00:00:00Z\"", "\"-999999999-01-01T00:00:00Z\"", "\"+999999999-12-31T23:59:59Z\"",
            "9223372036854775808", "-0.0000000000000000000000000000000000000000000000000000000000000000000001",
            "[[[[[[[[[[]]]]]]]]]]", "{\"a\":{\"b\":{\"c\":1}}}", "\"DE\"", "0"};
    /** Endpoints that start work when a body is valid: every field of their fuzzed bodies is hostile. */
    static final Set<String> STARTS_WORK = Set.of("/trainer/runs", "/replays", "/dead-letters/redrive", "/jobs",
            "/jobs/{id}/batches");

    /** Real ids for the path parameters of reads: hostile queries reach the code behind a found resource too. */
    final Map<String, String> realIds = new TreeMap<>();

    @Test
    void hostileRequestsGetProblemsNeverServerErrorsOrInternals() throws Exception {
        List<String> failures = new ArrayList<>();
        realIds.put("jobId", assertAControlJobIsCountedExactly("fuzz-real-ids"));
        realIds.put("id", realIds.get("jobId"));
        realIds.put("zone", "SE");
        realIds.put("tenant", "control");
        // the control job's month: hostile queries reach a real monthly report too
        realIds.put("month", java.time.YearMonth.from(Instant.now().minus(3, ChronoUnit.HOURS)
                .atOffset(java.time.ZoneOffset.UTC)).toString());
        for (Operation o : operations()) {
            List<String> query = new ArrayList<>();
            for (JsonNode p : o.op().path("parameters")) {
                if (p.path("in").asText().equals("query")) {
                    query.add(p.get("name").asText());
                }
            }
            List<String> fields = bodyFields(o.api(), o.op());
            Map<String, String> valid = validValues(o.api(), o.op());
            for (int i = 0; i < CASES; i++) {
                fuzzOnce(o.base(), o.path(), o.method(), query, fields, valid, failures);
            }
        }
        for (String base : List.of(stack.trainer(), stack.telemetry(), stack.carbon())) {
            // what no endpoint lists: unknown paths, unknown methods, oversized lines, bodies and headers
            for (String raw : List.of("/", "/nope", "/%00", "/" + "a".repeat(20_000), "/jobs?" + "q=1&".repeat(10_000))) {
                check("GET " + raw.length(), HttpRequest.newBuilder(URI.create(base + raw)).GET(), failures);
            }
            check("BREW", HttpRequest.newBuilder(URI.create(base + "/jobs")).method("BREW", HttpRequest.BodyPublishers.noBody()), failures);
            check("5MB", HttpRequest.newBuilder(URI.create(base + "/jobs")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5 << 20])), failures);
            check("headers", HttpRequest.newBuilder(URI.create(base + "/jobs")).header("X-Big", "h".repeat(40_000)).GET(), failures);
        }
        System.out.println("fuzz (seed " + SEED + ") tried: " + tried);
        assertTrue(failures.isEmpty(), failures.size() + " bad answers, first ones:\n"
                + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
        assertTrue(tried.values().stream().mapToInt(Integer::intValue).sum() > 1000, "thousands of inputs: " + tried);
        assertHealthy();
    }

    /** Text no column can hold: a NUL, an unpaired surrogate, beyond every name's and every source's limit. */
    static final Map<String, String> UNSTORABLE_TEXT = new java.util.LinkedHashMap<>(Map.of(
            "NUL", "\"gpt\\u00002\"",
            "unpaired surrogate", "\"gpt\\ud8002\"",
            "300 characters", "\"" + "n".repeat(300) + "\"",
            "5000 characters", "\"" + "s".repeat(5000) + "\""));

    /**
     * Every string field of every JSON body the OpenAPI documents list, in an otherwise plausible body, with text
     * PostgreSQL cannot store or longer than any column: never a 5xx, always problem+json, and a 400 that lists
     * violations lists the field.
     */
    @Test
    void everyTextFieldRefusesWhatNoColumnCanHoldNamingTheField() throws Exception {
        List<String> failures = new ArrayList<>();
        Map<String, Integer> answers = new TreeMap<>();
        List<String> accepted = new ArrayList<>();
        for (Operation o : operations()) {
            Map<String, String> valid = validValues(o.api(), o.op());
            if (!Set.of("POST", "PUT").contains(o.method()) || valid.isEmpty()) {
                continue;
            }
            // path parameters name nothing that exists: a body that passes is answered 404 and changes
            // nothing the other tests count on (a hardware profile, a data centre)
            String url = o.base() + o.path().replaceAll("\\{[^}]+}", "text-fuzz");
            for (var field : valid.entrySet()) {
                if (!field.getValue().startsWith("\"fuzz-")) {
                    continue; // not free text: a number, an enum, an instant, an array
                }
                for (var text : UNSTORABLE_TEXT.entrySet()) {
                    Map<String, String> body = new TreeMap<>(valid);
                    body.put(field.getKey(), text.getValue());
                    String json = "{" + body.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                            .collect(java.util.stream.Collectors.joining(",")) + "}";
                    String what = o.method() + " " + o.path() + " " + field.getKey() + " = " + text.getKey();
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + stack.admin())
                            .method(o.method(), HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(20));
                    HttpResponse<String> r = send(request.build());
                    answers.merge(r.statusCode() + "", 1, Integer::sum);
                    if (r.statusCode() < 300) {
                        accepted.add(what + " -> " + r.statusCode());
                    }
                    String type = r.headers().firstValue("content-type").orElse("");
                    if (r.statusCode() >= 500) {
                        failures.add(what + " -> " + r.statusCode() + " " + cut(r.body()));
                    } else if (r.statusCode() >= 400 && !type.startsWith("application/problem+json")) {
                        failures.add(what + " -> " + r.statusCode() + " as '" + type + "'");
                    } else if (r.statusCode() == 400 && r.body().contains("\"violations\"")) {
                        List<String> named = new ArrayList<>();
                        JSON.readTree(r.body()).path("violations").forEach(v -> named.add(v.path("field").asText()));
                        if (!text.getKey().equals("300 characters") && !named.contains(field.getKey())) {
                            failures.add(what + " -> 400 naming " + named + ", not " + field.getKey() + ": " + cut(r.body()));
                        }
                    }
                }
            }
        }
        System.out.println("text fuzz answers by status: " + answers + "; taken (free text within its limit, or a"
                + " filter that stores nothing): " + accepted);
        assertTrue(failures.isEmpty(), failures.size() + " bad answers:\n" + String.join("\n", failures));
        assertTrue(answers.values().stream().mapToInt(Integer::intValue).sum() > 50, "every text field: " + answers);
        assertHealthy();
    }

    /** One operation an OpenAPI document of a service lists. */
    record Operation(String base, JsonNode api, String path, String method, JsonNode op) {
    }

    /** Every operation (GET, POST, PUT, DELETE, PATCH) the three services' OpenAPI documents list. */
    List<Operation> operations() throws Exception {
        List<Operation> operations = new ArrayList<>();
        for (String base : List.of(stack.trainer(), stack.telemetry(), stack.carbon())) {
            JsonNode api = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/q/openapi?format=json")).GET().build())
                    .body());
            for (Iterator<Map.Entry<String, JsonNode>> paths = api.get("paths").fields(); paths.hasNext(); ) {
                var path = paths.next();
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                    var op = ops.next();
                    String method = op.getKey().toUpperCase();
                    if (Set.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                        operations.add(new Operation(base, api, path.getKey(), method, op.getValue()));
                    }
                }
            }
        }
        return operations;
    }

    private void fuzzOnce(String base, String template, String method, List<String> query, List<String> fields,
                          Map<String, String> valid, List<String> failures) {
        String path = template;
        boolean real = method.equals("GET") && random.nextBoolean();
        while (path.contains("{")) {
            int a = path.indexOf('{');
            String param = path.substring(a + 1, path.indexOf('}', a));
            String id = real && realIds.containsKey(param) ? realIds.get(param) : pick(HOSTILE_IDS);
            if (real && param.equals("id") && template.startsWith("/hardware")) {
                id = "nvidia-t4";
            } else if (real && param.equals("id") && template.startsWith("/datacenters")) {
                id = "aws-eu-north-1";
            }
            path = path.substring(0, a) + id + path.substring(path.indexOf('}', a) + 1);
        }
        StringBuilder uri = new StringBuilder(base).append(path);
        if (!query.isEmpty() && (real || random.nextBoolean())) {
            uri.append('?');
            for (String q : query) {
                uri.append(q).append('=').append(pick(HOSTILE_PARAMS).replace(" ", "%20")).append('&');
            }
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri.toString().replace("\"", "%22")));
        String kind;
        if (template.endsWith("/stream")) {
            checkStream("GET " + template, b.GET(), failures);
            return;
        }
        if (method.equals("GET") || method.equals("DELETE")) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
            kind = method + (real ? " real path, hostile query" : " hostile path/query");
        } else {
            int variant = random.nextInt(12);
            byte[] body;
            String type = "application/json";
            switch (variant) {
                case 0 -> { body = new byte[0]; kind = "empty body"; }
                case 1 -> { body = utf8(pick(new String[]{"null", "[]", "{", "[1,", "\"x\"", "1e999999999", "{}"})); kind = "odd JSON"; }
                case 2 -> { body = utf8("\"".repeat(900_000)); kind = "900 KB of quotes"; }
                case 3 -> { body = utf8("[".repeat(20_000) + "]".repeat(20_000)); kind = "deep nesting"; }
                case 4 -> { body = new byte[]{(byte) 0xff, (byte) 0xfe, '{', (byte) 0xc3, '}'}; kind = "invalid UTF-8"; }
                case 5 -> { body = utf8(duplicated(fields)); kind = "duplicated keys"; }
                case 6 -> { body = utf8("{\"x\":1}"); type = "text/plain"; kind = "wrong content type"; }
                case 7 -> { body = utf8("[" + (hostileObject(fields, template) + ",").repeat(1001) + "{}]"); kind = "1002-element array"; }
                case 8, 9 -> {
                    if (valid.isEmpty() || (STARTS_WORK.contains(template) && !template.equals("/jobs"))) {
                        body = utf8(hostileObject(fields, template));
                        kind = "hostile fields";
                    } else {
                        body = utf8(oneHostileField(valid));
                        kind = "one hostile field";
                    }
                }
                default -> { body = utf8(hostileObject(fields, template)); kind = "hostile fields"; }
            }
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", type);
        }
        check(kind + " " + method + " " + template, b, failures);
    }

    /** A request to a live stream: only the status and the type count, the stream itself is closed at once. */
    private void checkStream(String what, HttpRequest.Builder request, List<String> failures) {
        tried.merge("GET stream", 1, Integer::sum);
        authorize(request);
        try {
            HttpResponse<java.io.InputStream> r = http.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            String type = r.headers().firstValue("content-type").orElse("");
            if (r.statusCode() >= 500 || (r.statusCode() >= 400 && !type.startsWith("application/problem+json"))) {
                failures.add(what + " -> " + r.statusCode() + " as '" + type + "'");
            }
            r.body().close();
        } catch (Exception e) {
            failures.add(what + ": no answer: " + e);
        }
    }

    private void check(String what, HttpRequest.Builder request, List<String> failures) {
        String kind = what.replaceAll(" .*", "").replaceAll("[0-9]+", "N");
        tried.merge(what.contains(" /") ? what.substring(0, what.indexOf(" /")) : kind, 1, Integer::sum);
        authorize(request);
        HttpResponse<String> r;
        try {
            r = send(request.timeout(Duration.ofSeconds(20)).build());
        } catch (Exception e) {
            // the server may close the connection after answering an oversized request before it is read whole
            if (what.startsWith("5MB") || what.startsWith("900 KB")) {
                return;
            }
            failures.add(what + ": no answer: " + e);
            return;
        }
        String body = r.body() == null ? "" : r.body();
        String type = r.headers().firstValue("content-type").orElse("");
        if (r.statusCode() >= 500) {
            failures.add(what + " -> " + r.statusCode() + " " + cut(body));
        } else if (r.statusCode() >= 400 && !type.startsWith("application/problem+json")) {
            failures.add(what + " -> " + r.statusCode() + " as '" + type + "': " + cut(body));
        } else if (INTERNALS.matcher(body).find()) {
            failures.add(what + " -> " + r.statusCode() + " names internals: " + cut(body));
        }
    }

    /**
     * Most hostile requests carry an admin's token, so that they reach the code behind the door; the others carry
     * another role's, none, or a hostile one: the door itself must answer those with problems too.
     */
    private void authorize(HttpRequest.Builder request) {
        if (admin == null) {
            admin = stack.admin();
            viewer = stack.token("control", "viewer");
        }
        int pick = random.nextInt(20);
        String value = pick < 14 ? "Bearer " + admin
                : pick < 16 ? "Bearer " + viewer
                : pick == 16 ? null
                : pick(HOSTILE_AUTHORIZATIONS);
        if (value != null) {
            request.header("Authorization", value);
        }
    }

    private String admin;
    private String viewer;

    /** Authorization headers no service may let through: alg none, truncated, other schemes, quotes. */
    static final String[] HOSTILE_AUTHORIZATIONS = {"Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Bearer a.b.c",
            // {"alg":"none"}.{"tenant":"x","groups":["admin"],"iss":"carbonstream-local","aud":"carbonstream"}.
            "Bearer eyJhbGciOiJub25lIn0.eyJ0ZW5hbnQiOiJ4IiwiZ3JvdXBzIjpbImFkbWluIl0sImlzcyI6ImNhcmJvbnN0cmVhbS1sb2NhbCIsImF1ZCI6ImNhcmJvbnN0cmVhbSJ9.",
            "Bearer " + "\"".repeat(2000), "bearer " + "x".repeat(8000)};

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String hostileObject(List<String> fields, String template) {
        StringBuilder o = new StringBuilder("{");
        boolean startsWork = STARTS_WORK.contains(template);
        for (String f : fields) {
            if (startsWork || random.nextInt(3) > 0) {
                o.append(o.length() > 1 ? "," : "").append('"').append(f).append("\":").append(pick(HOSTILE_VALUES));
            }
        }
        if (o.length() == 1) {
            o.append("\"unknown\":").append(pick(HOSTILE_VALUES));
        }
        return o.append('}').toString();
    }

    /** A body whose fields are all plausible but one. */
    private String oneHostileField(Map<String, String> valid) {
        List<String> names = new ArrayList<>(valid.keySet());
        String hostile = names.get(random.nextInt(names.size()));
        StringBuilder o = new StringBuilder("{");
        for (String f : names) {
            o.append(o.length() > 1 ? "," : "").append('"').append(f).append("\":")
                    .append(f.equals(hostile) ? pick(HOSTILE_VALUES) : valid.get(f));
        }
        return o.append('}').toString();
    }

    /** A plausible value of each field of an operation's JSON body, by its OpenAPI type. */
    static Map<String, String> validValues(JsonNode api, JsonNode op) {
        Map<String, String> values = new TreeMap<>();
        JsonNode schema = resolve(api, op.path("requestBody").path("content").path("application/json").path("schema"));
        if (schema.has("items")) {
            schema = resolve(api, schema.get("items"));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            var p = it.next();
            JsonNode t = resolve(api, p.getValue());
            String type = t.path("type").asText("");
            String value;
            if (t.has("enum")) {
                value = "\"" + t.get("enum").get(0).asText() + "\"";
            } else if (t.path("format").asText().equals("date-time")) {
                value = "\"2026-01-01T00:00:00Z\"";
            } else {
                value = switch (type) {
                    case "integer" -> "1";
                    case "number" -> "1.5";
                    case "boolean" -> "true";
                    case "array" -> "[]";
                    case "object" -> "{}";
                    default -> "\"fuzz-" + p.getKey().length() + "\"";
                };
            }
            values.put(p.getKey(), value);
        }
        return values;
    }

    private static JsonNode resolve(JsonNode api, JsonNode schema) {
        if (schema.has("$ref")) {
            return api.path("components").path("schemas").path(schema.get("$ref").asText().replaceAll(".*/", ""));
        }
        if (schema.has("allOf") && schema.get("allOf").size() == 1) {
            return resolve(api, schema.get("allOf").get(0));
        }
        return schema;
    }

    private String duplicated(List<String> fields) {
        String f = fields.isEmpty() ? "id" : fields.get(random.nextInt(fields.size()));
        return "{\"" + f + "\":1,\"" + f + "\":\"two\"}";
    }

    /** The property names of an operation's JSON body, from the OpenAPI components. */
    static List<String> bodyFields(JsonNode api, JsonNode op) {
        JsonNode schema = op.path("requestBody").path("content").path("application/json").path("schema");
        if (schema.has("items")) {
            schema = schema.get("items");
        }
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replaceAll(".*/", "");
            schema = api.path("components").path("schemas").path(name);
        }
        List<String> fields = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(fields::add);
        return fields;
    }

    // ---------------------------------------------------------------- Kafka

    // mutations that every reader must refuse; the key is the template's id unless the mutation says otherwise
    static final List<String[]> MUTATIONS = List.of(
            new String[]{"null value", null}, new String[]{"JSON null", "null"}, new String[]{"empty", ""},
            new String[]{"garbage", "\u0001\u0002garbage"}, new String[]{"900 KB of quotes", "\"".repeat(900_000)},
            new String[]{"array", "[1,2]"}, new String[]{"duplicated key", "DUP"}, new String[]{"schemaVersion 999", "V999"},
            new String[]{"year 1600", "YEAR"}, new String[]{"huge exponent", "BIG"},
            new String[]{"200 KB id", "ID"}, new String[]{"null key", "NULLKEY"}, new String[]{"key not the id", "OTHERKEY"},
            new String[]{"negative energy", "NEG"}, new String[]{"schemaVersion missing", "NOVERSION"});

    @Test
    void hostileRecordsOnEveryInputTopicAreDeadLetteredAndNoConsumerStops() throws Exception {
        Instant t0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> templates = Map.of(
                Topics.TRAINING_BATCHES, """
                        {"schemaVersion":1,"eventId":"00000000-0000-0000-0000-0000000000%02d","jobId":"fuzz","tenant":"fuzz",
                         "workerId":"0","step":1,"phase":"PRETRAIN","startedAt":"%s","endedAt":"%s","samples":1,"tokens":0,
                         "acceleratorType":"nvidia-t4","acceleratorCount":1,"datacenter":"aws-eu-north-1"}""",
                Topics.TELEMETRY_ENERGY, """
                        {"schemaVersion":1,"eventId":"00000000-0000-0000-0000-0000000000%02d","jobId":"fuzz","tenant":"fuzz",
                         "workerId":"0","step":1,"phase":"PRETRAIN","startedAt":"%s","endedAt":"%s","samples":1,"tokens":0,
                         "acceleratorType":"nvidia-t4","acceleratorCount":1,"datacenter":"aws-eu-north-1",
                         "energyJoules":{"accelerator":71,"cpu":0,"memory":0,"other":0,"idle":0},"method":"MODELED"}""",
                Topics.TRAINING_JOBS, """
                        {"schemaVersion":1,"jobId":"fuzz","tenant":"fuzz","name":"n%02d","state":"RUNNING","startedAt":"%s","finishedAt":"%s"}""",
                Topics.GRID_INTENSITY, """
                        {"schemaVersion":1,"zone":"fuzz","validFrom":"%2$s","validTo":"%3$s","gCo2ePerKWh":1%1$02d,"signal":"AVERAGE","source":"MANUAL"}""",
                Topics.CARBON_FOOTPRINT, """
                        {"schemaVersion":1,"jobId":"fuzz","tenant":"fuzz","batches":%d,"updatedAt":"%s","lastBatchEndedAt":"%s"}""");
        Map<String, Set<Long>> expected = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            int n = 0;
            for (var t : templates.entrySet()) {
                String topic = t.getKey();
                String idField = topic.equals(Topics.GRID_INTENSITY) ? "zone" : "jobId";
                for (int copy = 0; copy < RECORDS * MUTATIONS.size(); copy++) {
                    String[] m = MUTATIONS.get(copy % MUTATIONS.size());
                    if (m[1] != null && m[1].equals("NEG") && !topic.equals(Topics.TELEMETRY_ENERGY)
                            && !topic.equals(Topics.GRID_INTENSITY)) {
                        continue;
                    }
                    n++;
                    String valid = t.getValue().formatted(n % 100, t0.plusSeconds(n), t0.plusSeconds(n + 1));
                    String key = "fuzz";
                    byte[] value = mutate(topic, valid, m[1], idField);
                    if ("NULLKEY".equals(m[1])) {
                        key = null;
                    } else if ("OTHERKEY".equals(m[1])) {
                        key = "someone-else";
                    }
                    RecordMetadata meta = producer.send(new ProducerRecord<>(topic, key, value)).get();
                    expected.computeIfAbsent(topic, x -> new HashSet<>()).add(position(meta.partition(), meta.offset()));
                    counts.merge(topic + " " + m[0], 1, Integer::sum);
                }
            }
        }
        System.out.println("fuzz (seed " + SEED + ") raw records: " + counts.values().stream().mapToInt(Integer::intValue).sum()
                + " records of " + counts.size() + " kinds: " + counts);
        for (var e : expected.entrySet()) {
            Set<Long> letters = awaitLetters(e.getKey(), e.getValue(), Duration.ofSeconds(120));
            Set<Long> missing = new HashSet<>(e.getValue());
            missing.removeAll(letters);
            assertTrue(missing.isEmpty(), e.getKey() + ": no dead letter for " + missing.size() + " of " + e.getValue().size()
                    + " hostile records");
        }
        assertHealthy();
        assertAControlJobIsCountedExactly("fuzz-control");
    }

    @Test
    void hostileRecordsOnTheBudgetTopicAreSkippedAndBudgetsSetAfterThemApply() throws Exception {
        // carbon.budgets is read into a global store on every instance; only carbon-service may write it, but a record
        // that is not a valid budget must neither become one nor stop the global thread (it would stop the client)
        String tenant = "fuzz-budget-" + Long.toString(System.nanoTime(), 36);
        String valid = """
                {"schemaVersion":1,"tenant":"%s","monthlyGCo2e":%s,"setBy":"fuzz","setAt":"%s"}""";
        int sent = 0;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            List<String[]> hostile = new ArrayList<>(MUTATIONS);
            hostile.add(new String[]{"negative budget", "{\"schemaVersion\":1,\"tenant\":\"" + tenant + "\",\"monthlyGCo2e\":-5}"});
            hostile.add(new String[]{"budget over the limit", "{\"schemaVersion\":1,\"tenant\":\"" + tenant
                    + "\",\"monthlyGCo2e\":1e30}"});
            for (String[] m : hostile) {
                if ("NEG".equals(m[1])) {
                    continue;
                }
                String key = "NULLKEY".equals(m[1]) ? null : "OTHERKEY".equals(m[1]) ? "someone-else" : tenant;
                byte[] value = mutate(Topics.CARBON_BUDGETS, valid.formatted(tenant, "1000", Instant.now()), m[1], "tenant");
                producer.send(new ProducerRecord<>(Topics.CARBON_BUDGETS, key, value)).get();
                sent++;
            }
            producer.send(new ProducerRecord<>(Topics.CARBON_BUDGETS, tenant,
                    utf8(valid.formatted(tenant, "777", Instant.now())))).get();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        var r = given().baseUri(stack.carbon()).when().get("/budgets/tenants/" + tenant);
        while ((r.statusCode() != 200 || r.jsonPath().getDouble("monthlyGCo2e") != 777) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            r = given().baseUri(stack.carbon()).when().get("/budgets/tenants/" + tenant);
        }
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(0, new BigDecimal("777").compareTo(new BigDecimal(r.jsonPath().getString("monthlyGCo2e"))),
                "the budget set after " + sent + " hostile records applies: " + r.asString());
        assertHealthy();
    }

    /** A template turned into a record its reader must refuse. */
    private static byte[] mutate(String topic, String valid, String m, String idField) throws Exception {
        if (m == null) {
            return null;
        }
        ObjectNode o = (ObjectNode) JSON.readTree(valid);
        switch (m) {
            case "DUP" -> {
                return utf8(valid.replaceFirst("\\{", "{\"" + idField + "\":\"fuzz\","));
            }
            case "BIG" -> {
                switch (topic) {
                    case Topics.TELEMETRY_ENERGY -> ((ObjectNode) o.get("energyJoules")).set("accelerator", JSON.readTree("1e999999999"));
                    case Topics.GRID_INTENSITY -> o.set("gCo2ePerKWh", JSON.readTree("1e999999999"));
                    case Topics.TRAINING_JOBS -> o.set("modelParameters", JSON.readTree("1e999999999"));
                    default -> o.set("flops", JSON.readTree("1e999999999"));
                }
                return utf8(o.toString());
            }
            case "ID" -> {
                o.put(idField, "j".repeat(200_000));
                return utf8(o.toString());
            }
            case "NULLKEY", "OTHERKEY" -> {
                return utf8(valid);
            }
            case "NEG" -> {
                if (o.has("energyJoules")) {
                    ((ObjectNode) o.get("energyJoules")).put("idle", new BigDecimal("-1e6"));
                } else {
                    o.put("gCo2ePerKWh", -5);
                }
                return utf8(o.toString());
            }
            case "YEAR" -> {
                for (String f : List.of("startedAt", "validFrom", "updatedAt")) {
                    if (o.has(f)) {
                        o.put(f, "1600-01-01T00:00:00Z");
                    }
                }
                return utf8(o.toString());
            }
            case "V999" -> {
                o.put("schemaVersion", 999);
                return utf8(o.toString());
            }
            case "NOVERSION" -> {
                o.remove("schemaVersion");
                return utf8(o.toString());
            }
            default -> {
                return utf8(m);
            }
        }
    }

    private Set<Long> awaitLetters(String topic, Set<Long> wanted, Duration timeout) {
        Set<Long> found = new HashSet<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(Topics.deadLetterOf(topic)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!found.containsAll(wanted) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        continue;
                    }
                    DeadLetter letter = EventJson.decode(r.value(), DeadLetter.class);
                    if (topic.equals(letter.topic())) {
                        found.add(position(letter.partition(), letter.offset()));
                        assertTrue(letter.reason() != null && !letter.reason().isBlank(), "every letter names its reason");
                    }
                }
            }
        }
        return found;
    }

    private static long position(int partition, long offset) {
        return ((long) partition << 48) | offset;
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 << 20);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    // ---------------------------------------------------------------- after the storm

    /**
     * Every service live and ready, within a minute: right after a broker restart a producer or a stream client may
     * report DOWN for a few seconds while it reconnects or rebalances, which is the truth, not a failure.
     */
    static void assertHealthy() throws InterruptedException {
        LocalStack stack = LocalStack.shared();
        for (String base : List.of(stack.trainer(), stack.telemetry(), stack.carbon())) {
            for (String check : List.of("/q/health/live", "/q/health/ready")) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                var response = given().baseUri(base).when().get(check);
                while (response.statusCode() != 200 && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                    response = given().baseUri(base).when().get(check);
                }
                assertEquals(200, response.statusCode(), base + check + ": " + response.asString());
            }
        }
    }

    /** Five one-second T4 batches at full load: 5 x 71 W x 1 s = 355 J, exactly, through every service; the job's id. */
    static String assertAControlJobIsCountedExactly(String name) {
        LocalStack stack = LocalStack.shared();
        Instant t0 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String job = given().baseUri(stack.trainer()).contentType("application/json").body("""
                        {"tenant":"control","name":"%s","acceleratorType":"nvidia-t4","datacenter":"aws-eu-north-1","startedAt":"%s"}"""
                        .formatted(name, t0))
                .when().post("/jobs").then().statusCode(201).extract().path("id");
        StringBuilder body = new StringBuilder("[");
        for (int step = 0; step < 5; step++) {
            Instant start = t0.plusSeconds(600L * step);
            body.append(step == 0 ? "" : ",").append("""
                    {"step":%d,"startedAt":"%s","endedAt":"%s","samples":1}""".formatted(step, start, start.plusSeconds(1)));
        }
        given().baseUri(stack.trainer()).contentType("application/json").body(body.append("]").toString())
                .when().post("/jobs/" + job + "/batches").then().statusCode(202);
        FootprintEvent f = Await.footprint(job, 5);
        assertEquals(5, f.batches());
        assertEquals(new BigDecimal("355.000000"), f.itEnergyJoules().accelerator());
        assertEquals(0, BigDecimal.ZERO.compareTo(f.itEnergyJoules().idle()));
        return job;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String cut(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
