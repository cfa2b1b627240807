package io.carbonstream.e2e;

import io.carbonstream.events.AlertEvent;
import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Carbon budgets on the real broker, through the running stack: a job's budget and a tenant's monthly budget each
 * raise one alert on {@code carbon.alerts} per threshold (50, 80, 100 %), read committed, although every batch is
 * reported twice and in a shuffled order.
 */
@Order(6)
class BudgetIT {

    static final int BATCHES = 12;

    @Test
    void eachThresholdIsAlertedExactlyOnceOnTheBrokerWhateverTheDeliveries() throws Exception {
        LocalStack stack = LocalStack.shared();
        String suffix = Long.toString(System.nanoTime(), 36);
        String tenantJob = "budget-job-" + suffix;
        String tenantMonth = "budget-month-" + suffix;
        Instant t0 = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

        // what one batch of this shape adds, measured on a job of its own
        String probe = register(stack, tenantJob, "probe-" + suffix, null, t0);
        post(stack, tenantJob, probe, reports(t0, 1, new Random(1)));
        FootprintEvent one = Await.footprint(probe, 1);
        BigDecimal perBatch = one.operationalGCo2e().add(one.embodiedGCo2e());
        // ten batches' worth, less a hair: the 5th, 8th and 10th batch cross 50, 80 and 100 % whatever the rounding
        BigDecimal budget = perBatch.multiply(BigDecimal.TEN).multiply(new BigDecimal("0.9999"));

        String job = register(stack, tenantJob, "budgeted-" + suffix, budget, t0);
        String body = reports(t0, BATCHES, new Random(2));
        post(stack, tenantJob, job, body);
        post(stack, tenantJob, job, body); // the trainer retries: every batch twice

        given().baseUri(stack.carbon()).contentType("application/json").body("{\"monthlyGCo2e\":" + budget + "}")
                .put("/budgets/tenants/" + tenantMonth).then().statusCode(200);
        // the budget store is global: wait until this instance has it
        long until = System.currentTimeMillis() + 30_000;
        while (given().baseUri(stack.carbon()).get("/budgets/tenants/" + tenantMonth).statusCode() != 200) {
            assertTrue(System.currentTimeMillis() < until, "the tenant's budget never became readable");
            Await.sleep(200);
        }
        given().auth().oauth2(stack.token(tenantMonth, "viewer")).baseUri(stack.carbon()).get("/budgets/tenants/" + tenantMonth)
                .then().statusCode(200).body("tenant", org.hamcrest.Matchers.equalTo(tenantMonth));
        given().auth().oauth2(stack.token(tenantJob, "viewer")).baseUri(stack.carbon()).get("/budgets/tenants/" + tenantMonth)
                .then().statusCode(404);
        String monthly = register(stack, tenantMonth, "monthly-" + suffix, null, t0);
        String shuffled = reports(t0, BATCHES, new Random(3));
        post(stack, tenantMonth, monthly, shuffled);
        post(stack, tenantMonth, monthly, reports(t0, BATCHES, new Random(4)));

        Await.footprint(job, BATCHES);
        Await.footprint(monthly, BATCHES);
        Map<String, List<AlertEvent>> alerts = readAlerts(stack, List.of(job, tenantMonth), 6, Duration.ofSeconds(60));
        Await.sleep(3000); // anything raised twice would be committed by now
        alerts = readAlerts(stack, List.of(job, tenantMonth), 6, Duration.ofSeconds(10));

        List<AlertEvent> ofJob = alerts.get(job);
        assertEquals(List.of(50, 80, 100), ofJob.stream().map(AlertEvent::thresholdPercent).toList(), "job: " + ofJob);
        ofJob.forEach(a -> {
            assertEquals(AlertEvent.Scope.JOB, a.scope());
            assertEquals(tenantJob, a.tenant());
            assertEquals(0, budget.compareTo(a.budgetGCo2e()));
        });
        FootprintEvent f = Await.footprint(job, BATCHES);
        assertEquals(BATCHES, f.batches(), "each batch counted once");
        assertEquals(100, f.budget().alertedPercent());

        List<AlertEvent> ofMonth = alerts.get(tenantMonth);
        assertEquals(List.of(50, 80, 100), ofMonth.stream().map(AlertEvent::thresholdPercent).toList(), "month: " + ofMonth);
        String month = YearMonth.from(t0.atOffset(ZoneOffset.UTC)).toString();
        ofMonth.forEach(a -> {
            assertEquals(AlertEvent.Scope.TENANT_MONTH, a.scope());
            assertEquals("TENANT_MONTH|" + tenantMonth + "|" + month + "|" + a.thresholdPercent(), a.alertId());
        });
        // each crossing's total is at least its share of the budget, and never more than everything counted
        FootprintEvent all = Await.footprint(monthly, BATCHES);
        for (AlertEvent a : ofMonth) {
            assertTrue(a.gCo2e().multiply(BigDecimal.valueOf(100)).compareTo(budget.multiply(BigDecimal.valueOf(a.thresholdPercent()))) >= 0, a.toString());
            assertTrue(a.gCo2e().compareTo(all.operationalGCo2e().add(all.embodiedGCo2e())) <= 0, a.toString());
        }
    }

    static String register(LocalStack stack, String tenant, String id, BigDecimal budget, Instant t0) {
        return given().auth().oauth2(stack.token(tenant, "trainer")).baseUri(stack.trainer()).contentType("application/json")
                .body("""
                        {"id":"%s","name":"budget","acceleratorType":"nvidia-a100-sxm4-40gb","acceleratorsPerWorker":8,
                         "datacenter":"gcp-europe-west4","startedAt":"%s"%s}""".formatted(id, t0,
                        budget == null ? "" : ",\"co2eBudgetGrams\":" + budget.toPlainString()))
                .post("/jobs").then().statusCode(201).extract().path("id");
    }

    static void post(LocalStack stack, String tenant, String job, String body) {
        given().auth().oauth2(stack.token(tenant, "trainer")).baseUri(stack.trainer()).contentType("application/json")
                .body(body).post("/jobs/" + job + "/batches").then().statusCode(202);
    }

    /** {@code n} one-second batches at 50 % utilisation, in a shuffled order. */
    static String reports(Instant t0, int n, Random random) {
        List<String> reports = new ArrayList<>();
        for (int step = 0; step < n; step++) {
            Instant start = t0.plusSeconds(2L * step);
            reports.add("{\"step\":%d,\"startedAt\":\"%s\",\"endedAt\":\"%s\",\"samples\":32,\"utilization\":0.5}"
                    .formatted(step, start, start.plusSeconds(1)));
        }
        Collections.shuffle(reports, random);
        return "[" + String.join(",", reports) + "]";
    }

    /** Every committed alert of these keys, from the start of carbon.alerts, once {@code expected} have been read. */
    static Map<String, List<AlertEvent>> readAlerts(LocalStack stack, List<String> keys, int expected, Duration timeout) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, List<AlertEvent>> out = new java.util.TreeMap<>();
        keys.forEach(k -> out.put(k, new ArrayList<>()));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(Topics.CARBON_ALERTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            long deadline = System.nanoTime() + timeout.toNanos();
            int read = 0;
            while (System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (out.containsKey(r.key())) {
                        out.get(r.key()).add(EventJson.decode(r.value(), AlertEvent.class));
                        read++;
                    }
                }
                boolean atEnd = tps.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
                if (read >= expected && atEnd) {
                    break;
                }
                if (atEnd) {
                    end.putAll(consumer.endOffsets(tps));
                }
            }
        }
        return out;
    }
}
