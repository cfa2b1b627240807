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
                return last.equals(r.key());
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
