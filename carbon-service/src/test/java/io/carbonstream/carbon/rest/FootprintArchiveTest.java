package io.carbonstream.carbon.rest;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.JobEvent;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Topics;
import io.carbonstream.local.PostgresServer;
import io.carbonstream.testing.AsAdmin;
import io.carbonstream.testing.QuarkusInfrastructure;
import io.carbonstream.testing.TestInfrastructure;
import io.carbonstream.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.UUID;

import static io.carbonstream.carbon.Fixtures.NOON;
import static io.carbonstream.carbon.Fixtures.energy;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "carbon"))
@AsAdmin(awaitReady = true)
class FootprintArchiveTest {

    static Connection db() throws Exception {
        return DriverManager.getConnection(TestInfrastructure.shared().postgres().jdbcUrl("carbon"), PostgresServer.USER, "");
    }

    static JobEvent job(String id, String state) {
        return new JobEvent(1, id, "tenant-a", "archive test", "gpt-mini", null, Phase.PRETRAIN, "test-gpu", 8, 1,
                "gcp-europe-west4", null, null, state, NOON, state.equals("RUNNING") ? null : NOON.plusSeconds(60));
    }

    @Test
    void aFinishedJobsFinalFootprintIsArchivedInPostgres() throws Exception {
        String id = "job-" + UUID.randomUUID();
        String kafka = TestInfrastructure.shared().kafka().bootstrapServers();
        TopicProbe.produce(kafka, Topics.TRAINING_JOBS, id, EventJson.encodeToString(job(id, "RUNNING")));
        TopicProbe.produce(kafka, Topics.TELEMETRY_ENERGY,
                id, EventJson.encodeToString(energy(id, UUID.randomUUID(), Phase.PRETRAIN, 0, "3960.000", "gcp-europe-west4")),
                id, EventJson.encodeToString(energy(id, UUID.randomUUID(), Phase.PRETRAIN, 10, "1000.000", "gcp-europe-west4")));
        for (int i = 0; i < 100 && given().when().get("/footprints/" + id).statusCode() != 200; i++) {
            Thread.sleep(100);
        }
        TopicProbe.produce(kafka, Topics.TRAINING_JOBS, id, EventJson.encodeToString(job(id, "FINISHED")));

        try (Connection c = db()) {
            for (int i = 0; i < 150; i++) {
                try (ResultSet rs = c.createStatement().executeQuery(
                        "SELECT job_state, batches, operational_g, model FROM finished_footprint WHERE job_id = '" + id + "'")) {
                    if (rs.next()) {
                        assertEquals("FINISHED", rs.getString(1));
                        assertEquals(2, rs.getLong(2));
                        // (3960 + 1000) J x 1.07 x 569 g/kWh / 3.6e6
                        assertEquals(0, new BigDecimal("0.838832444").compareTo(rs.getBigDecimal(3)));
                        assertEquals("gpt-mini", rs.getString(4));
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the finished footprint of " + id + " was not archived");
    }

    /**
     * Each record is checked against the footprint's rules from its head; a running job's update whose totals are
     * of the wrong type passes (the archive does not read them), an ended job's does not: it is read whole.
     */
    @Test
    void recordsTheArchiveCannotUseAreDeadLetteredWithTheirReason() throws Exception {
        String kafka = TestInfrastructure.shared().kafka().bootstrapServers();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String head = "\"schemaVersion\":2,\"tenant\":\"tenant-a\",\"batches\":1,\"samples\":1,\"tokens\":0";
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
        java.util.List<String> records = new java.util.ArrayList<>();
        java.util.function.BiConsumer<String, String[]> add = (key, valueAndReason) -> {
            records.add(key);
            records.add(valueAndReason[0]);
            if (valueAndReason[1] != null) {
                expected.put(key, valueAndReason[1]);
            }
        };
        add.accept("neg-" + run, new String[]{"{\"jobId\":\"neg-" + run + "\"," + head.replace("\"batches\":1", "\"batches\":-1") + "}",
                "must be >= 0"});
        add.accept("state-" + run, new String[]{"{\"jobId\":\"state-" + run + "\"," + head + ",\"jobState\":\"DONE\"}",
                "jobState"});
        add.accept("dup-" + run, new String[]{"{\"jobId\":\"dup-" + run + "\"," + head
                + ",\"sci\":{\"perRun\":1,\"perRun\":2}}", "the key \"perRun\" appears more than once"});
        add.accept("bad-" + run, new String[]{"{\"jobId\":\"bad-" + run + "\"," + head + ",\"sci\":{", "malformed JSON"});
        add.accept("other-key-" + run, new String[]{"{\"jobId\":\"someone-else\"," + head + "}", "the record's key is not its jobId"});
        add.accept("huge-" + run, new String[]{"{\"jobId\":\"huge-" + run + "\"," + head + ",\"flops\":1e999999999}", "flops"});
        // totals of the wrong type: a running job's update is not read that far, an ended job's is
        add.accept("running-" + run, new String[]{"{\"jobId\":\"running-" + run + "\"," + head
                + ",\"jobState\":\"RUNNING\",\"carbonIntegral\":\"lots\"}", null});
        add.accept("ended-" + run, new String[]{"{\"jobId\":\"ended-" + run + "\"," + head
                + ",\"jobState\":\"FINISHED\",\"carbonIntegral\":\"lots\"}", "carbonIntegral"});
        String last = "last-" + run;
        add.accept(last, new String[]{"{\"jobId\":\"" + last + "\"," + head.replace("\"batches\":1", "\"batches\":-2") + "}",
                "must be >= 0"});
        TopicProbe.produce(kafka, Topics.CARBON_FOOTPRINT, records.toArray(String[]::new));

        java.util.Map<String, String> letters = new java.util.HashMap<>();
        try (TopicProbe dlq = new TopicProbe(kafka, Topics.deadLetterOf(Topics.CARBON_FOOTPRINT))) {
            dlq.readUntil(null, r -> {
                if (r.key() != null && r.key().endsWith(run)) {
                    letters.put(r.key(), r.value());
                }
                // the letters of records on other partitions may come after the last one's: wait for every one
                return letters.containsKey(last) && letters.keySet().containsAll(expected.keySet());
            }, java.time.Duration.ofSeconds(60));
        }
        assertEquals(expected.keySet(), letters.keySet(), letters.toString());
        expected.forEach((key, reason) -> {
            var letter = EventJson.decode(letters.get(key).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    io.carbonstream.events.DeadLetter.class);
            String said = letter.reason() + " (field " + letter.field() + ")";
            org.junit.jupiter.api.Assertions.assertTrue(said.contains(reason), key + ": " + said);
            assertEquals(Topics.CARBON_FOOTPRINT, letter.topic());
        });
    }

    static String footprint(String id, String state, long batches, String grams) {
        return "{\"schemaVersion\":2,\"jobId\":\"" + id + "\",\"tenant\":\"tenant-a\",\"jobState\":\"" + state
                + "\",\"batches\":" + batches + ",\"samples\":" + batches + ",\"tokens\":0,\"operationalGCo2e\":" + grams
                + ",\"embodiedGCo2e\":0}";
    }

    /** The archived row of a job, as "state batches operational_g", or null when there is none yet. */
    static String archived(String id) throws Exception {
        try (Connection c = db(); var s = c.prepareStatement(
                "SELECT job_state, batches, operational_g FROM finished_footprint WHERE job_id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) + " " + rs.getLong(2) + " " + rs.getBigDecimal(3).stripTrailingZeros().toPlainString() : null;
            }
        }
    }

    /**
     * The dead letters of {@code key}, in order, until one whose reason contains {@code lastReason}: the records of
     * one key share a partition, so everything sent before the record of that letter was handled by then.
     */
    static java.util.List<io.carbonstream.events.DeadLetter> lettersUntil(String key, String lastReason) {
        String kafka = TestInfrastructure.shared().kafka().bootstrapServers();
        try (TopicProbe dlq = new TopicProbe(kafka, Topics.deadLetterOf(Topics.CARBON_FOOTPRINT))) {
            return dlq.readUntil(key, r -> r.value().contains(lastReason), java.time.Duration.ofSeconds(60)).stream()
                    .map(r -> EventJson.decode(r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            io.carbonstream.events.DeadLetter.class))
                    .toList();
        }
    }

    /**
     * carbon-service marks each footprint record with its job's state (Topics.JOB_STATE_HEADER): a record marked
     * as a running job's update is passed by unread, whatever it holds; a record marked ended, or not marked, is read
     * as before, and its body decides.
     */
    @Test
    void aRecordMarkedAsARunningJobsUpdateIsPassedByUnreadAndAnyOtherIsReadAsBefore() throws Exception {
        String kafka = TestInfrastructure.shared().kafka().bootstrapServers();
        String id = "marked-" + UUID.randomUUID();
        var running = java.util.Map.of(Topics.JOB_STATE_HEADER, "RUNNING");
        var unknown = java.util.Map.of(Topics.JOB_STATE_HEADER, "");
        var finished = java.util.Map.of(Topics.JOB_STATE_HEADER, "FINISHED");
        TopicProbe.produce(kafka, Topics.CARBON_FOOTPRINT, running, id, "not JSON at all");
        TopicProbe.produce(kafka, Topics.CARBON_FOOTPRINT, unknown, id, "{");
        TopicProbe.produce(kafka, Topics.CARBON_FOOTPRINT, finished, id, footprint(id, "RUNNING", 1, "0.5"));
        TopicProbe.produce(kafka, Topics.CARBON_FOOTPRINT, finished, id, "{\"jobId\":");
        TopicProbe.produce(kafka, Topics.CARBON_FOOTPRINT, java.util.Map.of(), id, footprint(id, "FINISHED", 3, "1.25"));
        TopicProbe.produce(kafka, Topics.CARBON_FOOTPRINT, java.util.Map.of(Topics.JOB_STATE_HEADER, "FAILED"), id,
                footprint(id, "FAILED", 4, "2.5"));
        TopicProbe.produce(kafka, Topics.CARBON_FOOTPRINT, id, footprint(id, "FAILED", -1, "2.5"));

        var letters = lettersUntil(id, "must be >= 0");
        assertEquals(2, letters.size(), letters.toString());
        org.junit.jupiter.api.Assertions.assertTrue(letters.get(0).reason().contains("malformed JSON"), letters.get(0).reason());
        assertEquals("FAILED 4 2.5", archived(id), "the record marked FINISHED whose body says RUNNING was not archived");
    }

    /**
     * Hostile records, none marked: each is a dead letter with its reason, and the archive goes on to archive the
     * valid record sent after them.
     */
    @Test
    void hostileRecordsAreDeadLetteredAndTheArchiveGoesOn() throws Exception {
        String kafka = TestInfrastructure.shared().kafka().bootstrapServers();
        String id = "hostile-" + UUID.randomUUID();
        String valid = footprint(id, "FINISHED", 2, "1.5");
        String quotes = "\\\"".repeat(400_000);
        java.util.List<String[]> cases = java.util.List.of(
                new String[]{null, "empty record"},
                new String[]{"", "empty record"},
                new String[]{"null", "JSON null"},
                new String[]{valid.replace("\"tenant\":", "\"model\":\"a\\u0000b\",\"tenant\":"), "model"},
                new String[]{valid.replace("\"tenant\":", "\"model\":\"a\u0000b\",\"tenant\":"), "CTRL-CHAR, code 0"},
                new String[]{valid.replace("\"tenant\":", "\"model\":\"" + "m".repeat(10_000) + "\",\"tenant\":"),
                        "longer than 256"},
                new String[]{valid.replace("\"tenant\":", "\"model\":\"" + quotes + "\",\"tenant\":"), "longer than 256"},
                new String[]{valid.replace("\"tenant\":", "\"updatedAt\":\"0001-01-01T00:00:00Z\",\"tenant\":"), "updatedAt"},
                new String[]{valid.replace("\"tenant\":", "\"jobId\":\"" + id + "\",\"tenant\":"), "more than once"},
                new String[]{valid.replace("\"batches\":2", "\"batches\":99999999999999999999"), "batches"},
                new String[]{valid.replace("\"operationalGCo2e\":1.5", "\"operationalGCo2e\":1e999999"), "operationalGCo2e"},
                // an ended job's record without the totals the archive stores
                new String[]{valid.replace(",\"operationalGCo2e\":1.5", ""), "operationalGCo2e"},
                new String[]{valid.replace(",\"embodiedGCo2e\":0", ""), "embodiedGCo2e"},
                new String[]{valid.replace("\"batches\":2", "\"batches\":-7"), "must be >= 0"});
        for (String[] c : cases) {
            TopicProbe.produce(kafka, Topics.CARBON_FOOTPRINT, id, c[0]);
        }
        var letters = lettersUntil(id, "must be >= 0");
        assertEquals(cases.size(), letters.size(), letters.stream().map(io.carbonstream.events.DeadLetter::reason).toList().toString());
        for (int i = 0; i < cases.size(); i++) {
            var letter = letters.get(i);
            String said = letter.reason() + " (field " + letter.field() + ")";
            org.junit.jupiter.api.Assertions.assertTrue(said.contains(cases.get(i)[1]), i + ": " + said);
        }
        org.junit.jupiter.api.Assertions.assertTrue(letters.get(6).payloadTruncated(), "a letter keeps at most a part of a huge record");
        assertEquals(null, archived(id));

        TopicProbe.produce(kafka, Topics.CARBON_FOOTPRINT, id, valid);
        for (int i = 0; i < 150 && archived(id) == null; i++) {
            Thread.sleep(100);
        }
        assertEquals("FINISHED 2 1.5", archived(id));
    }

    /**
     * A row PostgreSQL refuses (here a constraint the table does not have in production, standing for any refusal
     * the footprint's rules did not foresee) is the record's dead letter; the archive goes on with the next record.
     */
    @Test
    void aRowTheDatabaseRefusesIsADeadLetterAndTheArchiveGoesOn() throws Exception {
        String kafka = TestInfrastructure.shared().kafka().bootstrapServers();
        String id = "refused-" + UUID.randomUUID();
        try (Connection c = db()) {
            c.createStatement().execute("ALTER TABLE finished_footprint ADD CONSTRAINT refused_for_test"
                    + " CHECK (job_id NOT LIKE 'refused-%' OR batches <> 13) NOT VALID");
        }
        try {
            TopicProbe.produce(kafka, Topics.CARBON_FOOTPRINT, id, footprint(id, "FINISHED", 13, "1"),
                    id, footprint(id, "FINISHED", 14, "2"), id, footprint(id, "FINISHED", -1, "2"));
            var letters = lettersUntil(id, "must be >= 0");
            assertEquals(2, letters.size(), letters.toString());
            org.junit.jupiter.api.Assertions.assertTrue(letters.get(0).reason().contains("database refused it: SQLSTATE 23514"),
                    letters.get(0).reason());
            assertEquals("FINISHED 14 2", archived(id));
        } finally {
            try (Connection c = db()) {
                c.createStatement().execute("ALTER TABLE finished_footprint DROP CONSTRAINT refused_for_test");
            }
        }
    }

    /**
     * A failure that is not the record's (here the table gone for a while, as when the database is away) is tried
     * again until it succeeds: the record is archived once the table is back, and no dead letter is sent. While it
     * waits longer than the archive's stall timeout (2 s in tests, a minute by default) carbon-service says it is
     * not ready, naming the record and the failure; ready again once it is archived.
     */
    @Test
    void aDatabaseFailureNotTheRecordsIsTriedAgainUntilItSucceeds() throws Exception {
        String kafka = TestInfrastructure.shared().kafka().bootstrapServers();
        String id = "away-" + UUID.randomUUID();
        try (Connection c = db()) {
            c.createStatement().execute("ALTER TABLE finished_footprint RENAME TO finished_footprint_away");
        }
        try {
            TopicProbe.produce(kafka, Topics.CARBON_FOOTPRINT, id, footprint(id, "FINISHED", 5, "3"));
            Thread.sleep(1_000);
            given().when().get("/q/health/ready").then().statusCode(200);
            int status = 200;
            for (int i = 0; i < 100 && status == 200; i++) {
                Thread.sleep(100);
                status = given().when().get("/q/health/ready").then().extract().statusCode();
            }
            given().when().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'footprint archive' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'footprint archive' }.data.retrying",
                            org.hamcrest.Matchers.startsWith(Topics.CARBON_FOOTPRINT + "["))
                    .body("checks.find { it.name == 'footprint archive' }.data.lastError",
                            org.hamcrest.Matchers.containsString("finished_footprint"));
        } finally {
            try (Connection c = db()) {
                c.createStatement().execute("ALTER TABLE finished_footprint_away RENAME TO finished_footprint");
            }
        }
        for (int i = 0; i < 300 && archived(id) == null; i++) {
            Thread.sleep(100);
        }
        assertEquals("FINISHED 5 3", archived(id));
        TopicProbe.produce(kafka, Topics.CARBON_FOOTPRINT, id, footprint(id, "FINISHED", -1, "3"));
        var letters = lettersUntil(id, "must be >= 0");
        assertEquals(1, letters.size(), "no dead letter for the record tried again: " + letters);
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aJobTheStreamStateNoLongerHoldsIsServedFromTheArchive() throws Exception {
        String id = "archived-" + UUID.randomUUID();
        String json = "{\"schemaVersion\":1,\"jobId\":\"" + id + "\",\"tenant\":\"old-team\",\"jobState\":\"FINISHED\","
                + "\"batches\":7,\"samples\":7,\"tokens\":0,\"operationalGCo2e\":1.5,\"carbonIntegral\":5400000}";
        try (Connection c = db(); var s = c.prepareStatement("INSERT INTO finished_footprint (job_id, tenant, job_state,"
                + " batches, operational_g, embodied_g, footprint, archived_at) VALUES (?, 'old-team', 'FINISHED', 7, 1.5, 0, ?, now())")) {
            s.setString(1, id);
            s.setString(2, json);
            s.executeUpdate();
        }
        given().when().get("/footprints/" + id).then().statusCode(200)
                .body("jobState", equalTo("FINISHED")).body("batches", equalTo(7)).body("tenant", equalTo("old-team"));
    }
}
