package io.carbonstream.kubernetes;

import io.carbonstream.events.Topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every overlay renders, and every object it renders matches its schema with no field the schema does not know.
 * The negative tests prove that a misspelled field fails the build, in a core kind, in a Strimzi kind and through
 * a Kustomize patch.
 */
class ManifestSchemaTest {

    static final List<String> overlays = Manifests.OVERLAYS;

    @ParameterizedTest
    @FieldSource("overlays")
    void everyRenderedObjectMatchesItsSchemaWithNoUnknownField(String overlay) {
        List<Manifests.Rendered> objects = Manifests.render(Manifests.KUBERNETES.resolve("overlays/" + overlay));
        Map<String, List<String>> unknown = new TreeMap<>();
        for (Manifests.Rendered r : objects) {
            List<String> fields = Manifests.unknownFields(r.model());
            if (!fields.isEmpty()) {
                unknown.put(r.toString(), fields);
            }
        }
        assertEquals(Map.of(), unknown, overlay + ": fields no schema knows");
        Map<String, Long> kinds = new TreeMap<>();
        objects.forEach(r -> kinds.merge(r.kind(), 1L, Long::sum));
        // what carbonstream deploys: Kafka (1 cluster, 1 node pool, 13 topics, 4 users), PostgreSQL, three services
        assertEquals(1L, kinds.get("Kafka"));
        assertEquals(1L, kinds.get("KafkaNodePool"));
        assertEquals((long) Topics.ALL.size(), kinds.get("KafkaTopic"));
        assertEquals(13L, kinds.get("KafkaTopic"));
        assertEquals(4L, kinds.get("KafkaUser"));
        assertEquals(1L, kinds.get("Deployment"));
        assertEquals(3L, kinds.get("StatefulSet"));
        assertEquals(5L, kinds.get("NetworkPolicy"));
    }

    @Test
    void aMisspelledFieldInACoreKindIsFound() {
        List<JsonNode> docs = treesOf("dev");
        ObjectNode deployment = (ObjectNode) docs.stream()
                .filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        ObjectNode container = (ObjectNode) deployment.at("/spec/template/spec/containers/0");
        container.set("readinesProbe", container.remove("readinessProbe"));
        ((ObjectNode) deployment.at("/spec/template/spec")).put("terminationGracePeriod", 30);
        List<Manifests.Rendered> read = Manifests.read(Manifests.toYaml(docs));
        Manifests.Rendered d = read.stream().filter(r -> r.kind().equals("Deployment")).findFirst().orElseThrow();
        assertEquals(List.of(".spec.template.spec.containers[0].readinesProbe", ".spec.template.spec.terminationGracePeriod"),
                Manifests.unknownFields(d.model()).stream().sorted().toList());
    }

    @Test
    void aMisspelledFieldInAStrimziKindIsFound() {
        List<JsonNode> docs = treesOf("production");
        ObjectNode topic = (ObjectNode) docs.stream().filter(d -> d.path("kind").asText().equals("KafkaTopic")).findFirst().orElseThrow();
        ObjectNode spec = (ObjectNode) topic.get("spec");
        spec.set("partition", spec.remove("partitions"));
        ObjectNode kafka = (ObjectNode) docs.stream().filter(d -> d.path("kind").asText().equals("Kafka")).findFirst().orElseThrow();
        ((ObjectNode) kafka.at("/spec/kafka/listeners/0")).put("tsl", true);
        List<Manifests.Rendered> read = Manifests.read(Manifests.toYaml(docs));
        List<String> found = new ArrayList<>();
        for (Manifests.Rendered r : read) {
            Manifests.unknownFields(r.model()).forEach(f -> found.add(r.kind() + f));
        }
        assertEquals(List.of("Kafka.spec.kafka.listeners[0].tsl", "KafkaTopic.spec.partition"), found.stream().sorted().toList());
    }

    @Test
    void aValueOfTheWrongTypeIsRefused() {
        List<JsonNode> docs = treesOf("dev");
        ObjectNode sts = (ObjectNode) docs.stream().filter(d -> d.path("kind").asText().equals("StatefulSet")).findFirst().orElseThrow();
        ((ObjectNode) sts.get("spec")).put("replicas", "two");
        AssertionError e = assertThrows(AssertionError.class, () -> Manifests.read(Manifests.toYaml(docs)));
        assertTrue(e.getMessage().contains("replicas") || e.getMessage().contains("two"), e.getMessage());
    }

    @Test
    void aMisspelledFieldInAKustomizePatchFailsTheRenderedOverlay() throws IOException {
        // an overlay of the dev overlay whose patch misspells a field, rendered by kubectl like the real ones
        Path dir = Path.of(System.getProperty("java.io.tmpdir")).resolve("typo-overlay").toAbsolutePath();
        Files.createDirectories(dir);
        Path dev = Manifests.KUBERNETES.resolve("overlays/dev");
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                patches:
                  - target: {kind: StatefulSet, name: carbon-service}
                    patch: |-
                      - op: add
                        path: /spec/template/spec/containers/0/livenesProbe
                        value: {httpGet: {path: /q/health/live, port: http}}
                """.formatted(dir.relativize(dev)));
        List<String> found = new ArrayList<>();
        for (Manifests.Rendered r : Manifests.render(dir)) {
            Manifests.unknownFields(r.model()).forEach(f -> found.add(r + f));
        }
        assertEquals(List.of("StatefulSet/carbon-service.spec.template.spec.containers[0].livenesProbe"), found);
    }

    @Test
    void anObjectOfAKindWithNoSchemaIsRefused() {
        AssertionError e = assertThrows(AssertionError.class, () -> Manifests.read("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                """));
        assertTrue(e.getMessage().contains("no schema for example.com/v1/Widget"), e.getMessage());
    }

    private static List<JsonNode> treesOf(String overlay) {
        return new ArrayList<>(Manifests.render(Manifests.KUBERNETES.resolve("overlays/" + overlay)).stream()
                .map(r -> (JsonNode) r.tree().deepCopy()).toList());
    }
}
