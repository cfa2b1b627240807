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
