package io.carbonstream.kubernetes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Renders a Kustomize directory with {@code kubectl kustomize} (offline: no API server) and reads every object into
 * its typed model: fabric8's Kubernetes model for the core kinds, Strimzi's for Kafka's. Both models keep a field
 * they do not know in {@code additionalProperties}; {@link #unknownFields} walks the whole object and names every
 * such field, so a misspelled or misplaced field is found wherever it is.
 */
final class Manifests {

    static final Path ROOT = Path.of(System.getProperty("carbonstream.root", "../..")).toAbsolutePath().normalize();
    static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");
    static final List<String> OVERLAYS = List.of("dev", "production");

    /** The kinds carbonstream deploys, by apiVersion and kind, with the model that reads each. */
    static final Map<String, Class<? extends HasMetadata>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class));

    static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory())
            // a value of the wrong type (a list for an object, text for a number) must fail, not be coerced
            .configure(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    /** One rendered object: its raw tree and its typed model. */
    record Rendered(JsonNode tree, HasMetadata model) {
        String kind() {
            return tree.path("kind").asText();
        }

        String name() {
            return tree.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return kind() + "/" + name();
        }
    }

    private Manifests() {
    }

    /** The objects of an overlay (or any Kustomize directory), as {@code kubectl kustomize} renders them. */
    static List<Rendered> render(Path kustomization) {
        return read(kustomize(kustomization));
    }

    static String kustomize(Path dir) {
        try {
            Path out = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "rendered", ".yaml");
            Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " did not finish in 120 s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            if (p.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new AssertionError("kubectl is needed to render the manifests (it renders offline, with no cluster): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Reads a multi-document YAML stream into typed objects; an unknown apiVersion/kind is an error. */
    static List<Rendered> read(String yaml) {
        List<Rendered> out = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode doc = it.next();
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                Class<? extends HasMetadata> type = MODELS.get(key);
                if (type == null) {
                    throw new AssertionError("no schema for " + key + " (" + doc.path("metadata").path("name").asText()
                            + "); add its model to Manifests.MODELS");
                }
                out.add(new Rendered(doc, YAML.treeToValue(doc, type)));
            }
        } catch (IOException e) {
            throw new AssertionError("a rendered object does not match its schema: " + e.getMessage(), e);
        }
        return out;
    }

    /** Paths of every field the typed model did not know, in the object and everything it holds. */
    static List<String> unknownFields(Object model) {
        List<String> found = new ArrayList<>();
        walk(model, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                walk(item, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, found));
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.") && !pkg.startsWith("io.strimzi.")) {
            return; // text, numbers, enums: leaves
        }
        if (value.getClass().isEnum()) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || getter.isBridge()
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = getter.getName();
            if (name.equals("getAdditionalProperties")) {
                try {
                    Map<?, ?> extra = (Map<?, ?>) getter.invoke(value);
                    if (extra != null) {
                        extra.keySet().forEach(k -> found.add(path + "." + k));
                    }
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
                continue;
            }
            if (!name.startsWith("get") || name.length() == 3 || !isModelProperty(getter)) {
                continue;
            }
            try {
                walk(getter.invoke(value), path + "." + Character.toLowerCase(name.charAt(3)) + name.substring(4), found);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Getters that return part of the object: skip the custom resources' computed names (plural, CRD name, ...). */
    private static boolean isModelProperty(Method getter) {
        Class<?> t = getter.getReturnType();
        return Collection.class.isAssignableFrom(t) || Map.class.isAssignableFrom(t)
                || t.getPackageName().startsWith("io.fabric8.kubernetes.api.model")
                || t.getPackageName().startsWith("io.strimzi.api") || t == Object.class;
    }

    /** The whole tree at a JSON pointer, or a missing node. */
    static JsonNode at(Rendered r, String pointer) {
        return r.tree().at(pointer);
    }

    static ObjectNode copy(JsonNode tree) {
        return (ObjectNode) tree.deepCopy();
    }

    static String toYaml(List<JsonNode> docs) {
        StringBuilder b = new StringBuilder();
        for (JsonNode d : docs) {
            try {
                b.append(YAML.writeValueAsString(d));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return b.toString();
    }
}
