package io.carbonstream.carbon.rest;

import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.Phase;
import io.carbonstream.events.Topics;
import io.carbonstream.testing.AsAdmin;
import io.carbonstream.testing.QuarkusInfrastructure;
import io.carbonstream.testing.TestInfrastructure;
import io.carbonstream.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.carbonstream.carbon.Fixtures.NOON;
import static io.carbonstream.carbon.Fixtures.energy;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = QuarkusInfrastructure.class, initArgs = @io.quarkus.test.common.ResourceArg(name = "database", value = "carbon"))
@AsAdmin(awaitReady = true)
class IntensityAndStreamTest {

    @Test
    void aManualObservationIsPublishedAndAppliedToBatchesOfItsInterval() throws Exception {
        // zone SE (static 47 g/kWh) gets 20 g/kWh from noon to 13:00 on a day of its own
        Instant day = NOON.plus(Duration.ofDays(30));
        given().contentType("application/json").body("""
                        {"zone":"SE","validFrom":"%s","validTo":"%s","gCo2ePerKWh":20}""".formatted(day, day.plusSeconds(3600)))
                .when().post("/intensity").then().statusCode(202).body("source", equalTo("MANUAL"));
        awaitObservation("SE", day.plusSeconds(60));
        given().queryParam("at", day.plusSeconds(60).toString()).when().get("/intensity/SE").then().statusCode(200)
                .body("fallback", equalTo(false)).body("observation.gCo2ePerKWh", equalTo(20))
                .body("observation.source", equalTo("MANUAL"));
        given().queryParam("at", day.minusSeconds(60).toString()).when().get("/intensity/SE").then()
                .body("fallback", equalTo(true)).body("observation.gCo2ePerKWh", equalTo(47))
                .body("observation.source", equalTo("STATIC_TABLE"));
        given().queryParam("from", day.minusSeconds(1).toString()).queryParam("to", day.plusSeconds(1).toString())
                .when().get("/intensity/SE/history").then().body("gCo2ePerKWh", org.hamcrest.Matchers.contains(20));

        // aws-eu-north-1 is in SE with PUE 1.135: 1000 J x 1.135 x 20 / 3.6e6 = 0.006305556 g
        String job = "job-" + UUID.randomUUID();
        EnergyEvent e = energy(job, UUID.randomUUID(), Phase.PRETRAIN, 30L * 86400 + 60, "1000.000", "aws-eu-north-1");
        TopicProbe.produce(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.TELEMETRY_ENERGY, job,
                EventJson.encodeToString(e));
        awaitFootprint(job);
        given().when().get("/footprints/" + job).then().body("operationalGCo2e", equalTo(0.006305556f))
                .body("lastIntensity.source", equalTo("MANUAL"));
    }

    @Test
    void impossibleObservationsAreRejected() {
        given().contentType("application/json").body("{\"zone\":\"DE\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"gCo2ePerKWh\":-5}")
                .when().post("/intensity").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("gCo2ePerKWh"));
        given().queryParam("at", "yesterday").when().get("/intensity/DE").then().statusCode(400)
                .body("violations[0].field", equalTo("at"));
        given().when().get("/intensity/ATLANTIS").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theLiveStreamSendsTheCurrentFootprintThenEachCommittedUpdate() throws Exception {
        String job = "job-" + UUID.randomUUID();
        String kafka = TestInfrastructure.shared().kafka().bootstrapServers();
        TopicProbe.produce(kafka, Topics.TELEMETRY_ENERGY, job,
                EventJson.encodeToString(energy(job, UUID.randomUUID(), Phase.PRETRAIN, 0, "100.000", "on-prem-de")));
        awaitFootprint(job);

        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                + "/footprints/" + job + "/stream")).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + io.carbonstream.testing.TestTokens.admin()).build();
        List<String> data = new ArrayList<>();
        CompletableFuture<Void> reading = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> {
            try (Stream<String> lines = r.body()) {
                lines.filter(l -> l.startsWith("data:")).limit(3).forEach(l -> {
                    synchronized (data) {
                        data.add(l);
                    }
                });
            }
        });
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && sizeOf(data) < 1) {
            Thread.sleep(50);
        }
        // The live feed starts with this instance's consumer assignment: keep adding batches until two updates came.
        for (int step = 1; step <= 40 && sizeOf(data) < 3; step++) {
            // records on carbon.footprint that are no footprint (a tombstone, garbage) leave the feed running
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(java.util.Map.of(
                    "bootstrap.servers", kafka, "key.serializer", org.apache.kafka.common.serialization.StringSerializer.class,
                    "value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class))) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.CARBON_FOOTPRINT, job, null)).get();
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.CARBON_FOOTPRINT, job,
                        new byte[]{1, 2, '{'})).get();
            }
            TopicProbe.produce(kafka, Topics.TELEMETRY_ENERGY, job, EventJson.encodeToString(
                    energy(job, UUID.randomUUID(), Phase.PRETRAIN, 10L * step, "100.000", "on-prem-de")));
            Thread.sleep(500);
        }
        reading.get(30, TimeUnit.SECONDS);
        assertEquals(3, data.size(), data.toString());
        assertTrue(data.get(0).contains("\"batches\":1,"), "the current footprint comes first: " + data.get(0));
        long second = batchesOf(data.get(1));
        long third = batchesOf(data.get(2));
        assertTrue(second > 1 && third > second, "then strictly newer totals: " + data);
    }

    static long batchesOf(String line) {
        Matcher m = Pattern.compile("\"batches\":(\\d+),").matcher(line);
        assertTrue(m.find(), line);
        return Long.parseLong(m.group(1));
    }

    static int sizeOf(List<String> data) {
        synchronized (data) {
            return data.size();
        }
    }

    static void awaitFootprint(String job) throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            if (given().when().get("/footprints/" + job).statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no footprint for " + job);
    }

    static void awaitObservation(String zone, Instant at) throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            Boolean fallback = given().queryParam("at", at.toString()).when().get("/intensity/" + zone).then()
                    .extract().path("fallback");
            if (Boolean.FALSE.equals(fallback)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("observation for " + zone + " never applied");
    }
}
