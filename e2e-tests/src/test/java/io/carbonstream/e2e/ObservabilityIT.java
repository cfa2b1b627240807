package io.carbonstream.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carbonstream.events.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What operators see: every metric the Grafana dashboard and the alerting rules under deploy/observability query is
 * one the running services really export, with bounded labels; Swagger UI is served; the provider gauges tell the
 * truth about a provider that is down (LocalStack points UK NESO at a stub that answers 503).
 */
@Order(8)
class ObservabilityIT {

    static final Pattern METRIC = Pattern.compile("\\b((?:carbonstream|kafka)_[a-z0-9_]+)\\b");

    static String metrics(String base) {
        return given().auth().none().baseUri(base).get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** Metric names (with their _total, _bucket ... suffixes) in a Prometheus text exposition. */
    static Set<String> names(String exposition) {
        Set<String> out = new TreeSet<>();
        exposition.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> out.add(l.split("[{ ]", 2)[0]));
        return out;
    }

    static Set<String> queried(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsQueryIsExported() throws Exception {
        LocalStack stack = LocalStack.shared();
        // make the labelled series exist: a dead letter, a counted batch with a budget crossed, an HTTP batch
        String suffix = Long.toString(System.nanoTime(), 36);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.TRAINING_BATCHES, "obs-" + suffix, "{\"not\":\"a batch\"}")).get();
            producer.send(new ProducerRecord<>(Topics.TELEMETRY_ENERGY, "obs-" + suffix, "{\"not\":\"an energy event\"}")).get();
        }
        Instant t0 = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        String tenant = "obs-" + suffix;
        String job = BudgetIT.register(stack, tenant, "obs-job-" + suffix, new BigDecimal("0.000001"), t0);
        BudgetIT.post(stack, tenant, job, BudgetIT.reports(t0, 2, new java.util.Random(5)));
        Await.footprint(job, 2);

        Set<String> exported = new TreeSet<>();
        awaitMetric(stack.carbon(), "carbonstream_carbon_dead_letters_total");
        String carbon = awaitMetric(stack.carbon(), "carbonstream_budget_alerts_total");
        exported.addAll(names(carbon));
        exported.addAll(names(awaitMetric(stack.telemetry(), "carbonstream_telemetry_dead_letters_total")));
        exported.addAll(names(metrics(stack.trainer())));

        Path observability = stack.root.resolve("deploy/observability");
        JsonNode dashboard = new ObjectMapper().readTree(observability.resolve("grafana/carbonstream-dashboard.json").toFile());
        Set<String> wanted = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                wanted.addAll(queried(target.path("expr").asText()));
            }
        }
        dashboard.path("templating").path("list").forEach(v -> wanted.addAll(queried(v.path("definition").asText())));
        int fromDashboard = wanted.size();
        wanted.addAll(queried(Files.readString(observability.resolve("prometheus/carbonstream-rules.yaml"))));
        assertTrue(fromDashboard >= 12 && wanted.size() > fromDashboard - 1, "queries found: " + wanted);
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(exported);
        assertTrue(missing.isEmpty(), "queried but not exported by any service: " + missing);

        // bounded labels: never a job or event id
        for (String line : carbon.lines().filter(l -> l.startsWith("carbonstream_")).toList()) {
            assertFalse(line.contains(job), "a job id as a label: " + line);
        }
        assertTrue(carbon.lines().anyMatch(l -> l.startsWith("carbonstream_carbon_co2e_grams_total{model=\"unknown\",tenant=\"" + tenant + "\"}")),
                "CO2e by tenant and model");
        assertTrue(carbon.lines().anyMatch(l -> l.startsWith("carbonstream_budget_alerts_total")
                && l.contains("tenant=\"" + tenant + "\"") && l.contains("threshold=\"100\"")), "the budget alert is counted");
        // the stub provider answers 503: down, and GB falls back to its static average
        assertTrue(carbon.contains("carbonstream_grid_provider_up{provider=\"uk-neso\",zone=\"GB\"} 0.0"), "provider down");
        assertTrue(carbon.contains("carbonstream_grid_provider_static_fallback{provider=\"uk-neso\",zone=\"GB\"} 1.0"), "static fallback");
    }

    static String awaitMetric(String base, String name) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            String text = metrics(base);
            if (text.contains(name) || System.currentTimeMillis() > deadline) {
                return text;
            }
            Await.sleep(500);
        }
    }

    @Test
    void swaggerUiIsServedByEveryService() {
        LocalStack stack = LocalStack.shared();
        for (String base : new String[] {stack.trainer(), stack.telemetry(), stack.carbon()}) {
            String page = given().auth().none().baseUri(base).redirects().follow(true).get("/q/swagger-ui/")
                    .then().statusCode(200).extract().asString();
            assertTrue(page.contains("swagger"), base);
            String api = given().auth().none().baseUri(base).get("/q/openapi?format=json").then().statusCode(200).extract().asString();
            assertTrue(api.contains("\"openapi\""), base);
        }
        assertEquals(200, given().auth().none().baseUri(stack.carbon()).get("/").statusCode(), "the dashboard's jobs page");
    }
}
