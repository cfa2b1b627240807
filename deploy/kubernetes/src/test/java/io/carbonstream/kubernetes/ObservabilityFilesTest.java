package io.carbonstream.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard and the Prometheus alerting rules under deploy/observability, offline: the rules lint and
 * pass their unit tests with promtool (Debian's prometheus package; .ci/run installs it), and the dashboard is a
 * well-formed Grafana dashboard whose every panel queries the Prometheus data source. That each query names a
 * metric the services really export is checked against the running stack by e2e-tests' ObservabilityIT.
 */
class ObservabilityFilesTest {

    static final Path OBSERVABILITY = Manifests.ROOT.resolve("deploy/observability");

    static String promtool(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, p.exitValue(), "promtool " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    @Test
    void theAlertingRulesLintAndPassTheirUnitTests() throws Exception {
        Path dir = OBSERVABILITY.resolve("prometheus");
        assertTrue(promtool(dir, "check", "rules", "carbonstream-rules.yaml").contains("SUCCESS: 5 rules found"));
        assertTrue(promtool(dir, "test", "rules", "carbonstream-rules.test.yaml").contains("SUCCESS"));
    }

    @Test
    void aRuleThatNoLongerFiresFailsItsUnitTest() throws Exception {
        // the tests bite: the same tests against rules whose lag threshold moved from 60 s to an hour fail
        Path dir = Files.createTempDirectory("rules");
        String rules = Files.readString(OBSERVABILITY.resolve("prometheus/carbonstream-rules.yaml"));
        String broken = rules.replace("rate(carbonstream_carbon_batch_lag_seconds_bucket[5m]))) > 60",
                "rate(carbonstream_carbon_batch_lag_seconds_bucket[5m]))) > 3600");
        assertFalse(broken.equals(rules));
        Files.writeString(dir.resolve("carbonstream-rules.yaml"), broken);
        Files.copy(OBSERVABILITY.resolve("prometheus/carbonstream-rules.test.yaml"), dir.resolve("carbonstream-rules.test.yaml"));
        Process p = new ProcessBuilder("promtool", "test", "rules", "carbonstream-rules.test.yaml").directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("CarbonstreamLagHigh"), out);
    }

    @Test
    void theDashboardIsWellFormedAndEveryPanelQueriesPrometheus() throws Exception {
        JsonNode d = new ObjectMapper().readTree(OBSERVABILITY.resolve("grafana/carbonstream-dashboard.json").toFile());
        assertEquals("carbonstream", d.path("uid").asText());
        assertTrue(d.path("schemaVersion").asInt() >= 36);
        Set<Integer> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        assertTrue(d.path("panels").size() >= 10);
        for (JsonNode panel : d.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "panel ids are unique");
            assertTrue(titles.add(panel.path("title").asText()), "panel titles are unique");
            assertEquals("prometheus", panel.path("datasource").path("type").asText(), panel.path("title").asText());
            assertFalse(panel.path("fieldConfig").path("defaults").path("unit").asText().isEmpty(), "every panel has a unit");
            JsonNode grid = panel.path("gridPos");
            assertTrue(grid.path("w").asInt() > 0 && grid.path("x").asInt() + grid.path("w").asInt() <= 24, "fits the 24-column grid");
            assertTrue(panel.path("targets").size() > 0);
            for (JsonNode t : panel.path("targets")) {
                String expr = t.path("expr").asText();
                assertFalse(expr.isBlank());
                assertEquals(count(expr, '('), count(expr, ')'), "balanced parentheses: " + expr);
                assertEquals(count(expr, '{'), count(expr, '}'), "balanced braces: " + expr);
            }
        }
        for (JsonNode v : d.path("templating").path("list")) {
            assertFalse(v.path("name").asText().isBlank());
        }
    }

    static long count(String s, char c) {
        return s.chars().filter(x -> x == c).count();
    }
}
