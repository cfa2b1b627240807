package io.carbonstream.kubernetes;

import io.carbonstream.events.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manifests agree with the code: the topics are the contract's, the topics that share state stores have the
 * same partitions, ports and probe paths are the services' own, every configuration key a manifest sets is one the
 * service reads, every environment variable is used, every file the configuration names is mounted, and each
 * KafkaUser is allowed exactly what its service's configuration and code use.
 */
class ManifestsMatchCodeTest {

    static final List<String> overlays = Manifests.OVERLAYS;
    static final List<String> SERVICES = List.of("trainer-service", "telemetry-service", "carbon-service");

    /**
     * Environment variables a container may set that no ${...} of its configuration names: each with what reads it.
     */
    static final Map<String, String> READ_ELSEWHERE = Map.of(
            "QUARKUS_DATASOURCE_PASSWORD", "quarkus.datasource.password, read by Quarkus' datasource",
            "JAVA_OPTS_APPEND", "the image's entrypoint (deploy/containers/java-entrypoint.sh)",
            "JAVA_MAX_MEM_RATIO", "the image's entrypoint (deploy/containers/java-entrypoint.sh): the heap's share of the memory limit",
            "CARBONSTREAM_AOT_DIR", "the image's entrypoint (deploy/containers/java-entrypoint.sh): the JDK's AOT cache, on a volume that outlives the pod");

    /**
     * Topics a service uses from its code rather than its configuration (dead letters, redrive, routed sinks), by
     * the operations it needs. The configuration's channels and Kafka Streams topics are read from its
     * application.properties.
     */
    static final Map<String, Map<String, Set<String>>> TOPICS_IN_CODE = Map.of(
            "trainer-service", Map.of(),
            // DeadLetters: lists training.batches.dlq, redrives to training.batches, marks letters on the dlq;
            // the topology reads training.batches and writes telemetry.energy and the dlq
            "telemetry-service", Map.of(
                    Topics.TRAINING_BATCHES, Set.of("Read", "Write"),
                    Topics.TELEMETRY_ENERGY, Set.of("Write"),
                    Topics.deadLetterOf(Topics.TRAINING_BATCHES), Set.of("Read", "Write")),
            // TopologyProducer reads training.jobs, telemetry.energy, grid.intensity and carbon.budgets (global
            // stores), and routes to carbon.footprint, carbon.rollups, carbon.alerts and the two dead-letter topics;
            // DeadLetterPublisher writes the archive's carbon.footprint.dlq
            "carbon-service", Map.of(
                    Topics.TRAINING_JOBS, Set.of("Read"),
                    Topics.TELEMETRY_ENERGY, Set.of("Read"),
                    Topics.GRID_INTENSITY, Set.of("Read"),
                    Topics.CARBON_FOOTPRINT, Set.of("Write"),
                    Topics.CARBON_ROLLUPS, Set.of("Write"),
                    Topics.CARBON_ALERTS, Set.of("Write"),
                    Topics.CARBON_BUDGETS, Set.of("Read"),
                    Topics.deadLetterOf(Topics.TELEMETRY_ENERGY), Set.of("Write"),
                    Topics.deadLetterOf(Topics.TRAINING_JOBS), Set.of("Write"),
                    Topics.deadLetterOf(Topics.CARBON_FOOTPRINT), Set.of("Write")));

    @ParameterizedTest
    @FieldSource("overlays")
    void theTopicsAreTheContractsAndTheStoreSharingTopicsHaveTheSamePartitions(String overlay) {
        var objects = Manifests.render(Manifests.KUBERNETES.resolve("overlays/" + overlay));
        Map<String, KafkaTopic> topics = new TreeMap<>();
        of(objects, KafkaTopic.class).forEach(t -> topics.put(t.getSpec().getTopicName(), t));
        assertEquals(new TreeSet<>(Topics.ALL), topics.keySet(), "KafkaTopics against events Topics.ALL");
        int shared = topics.get(Topics.TELEMETRY_ENERGY).getSpec().getPartitions();
        assertEquals(shared, topics.get(Topics.TRAINING_JOBS).getSpec().getPartitions(),
                "training.jobs and telemetry.energy share carbon-service's state stores");
        for (var t : topics.values()) {
            String policy = String.valueOf(t.getSpec().getConfig().get("cleanup.policy"));
            if (t.getSpec().getTopicName().endsWith(Topics.DEAD_LETTER_SUFFIX)) {
                assertEquals("delete", policy, t.getSpec().getTopicName() + ": redrive markers must not be compacted");
            }
            assertTrue(Set.of("delete", "compact").contains(policy), t.getSpec().getTopicName() + ": " + policy);
        }
        // every observation of the grid is kept: late batches and new instances need the whole history
        assertEquals("-1", String.valueOf(topics.get(Topics.GRID_INTENSITY).getSpec().getConfig().get("retention.ms")));
        Kafka kafka = one(objects, Kafka.class);
        assertEquals(rootPomProperty("kafka.version"), kafka.getSpec().getKafka().getVersion(), "the broker the project tests on");
        int replicas = topics.get(Topics.TRAINING_BATCHES).getSpec().getReplicas();
        assertEquals(overlay.equals("dev") ? 1 : 3, replicas);
        for (var t : topics.values()) {
            assertEquals(replicas, t.getSpec().getReplicas(), t.getSpec().getTopicName());
            assertTrue(Integer.parseInt(String.valueOf(t.getSpec().getConfig().get("min.insync.replicas"))) <= replicas);
        }
        // no autoscaler may run more stream instances than there are partitions to work on
        for (var hpa : of(objects, HorizontalPodAutoscaler.class)) {
            String input = switch (hpa.getSpec().getScaleTargetRef().getName()) {
                case "telemetry-service" -> Topics.TRAINING_BATCHES;
                case "carbon-service" -> Topics.TELEMETRY_ENERGY;
                default -> null;
            };
            if (input != null) {
                assertTrue(hpa.getSpec().getMaxReplicas() <= topics.get(input).getSpec().getPartitions(), hpa.getMetadata().getName());
            }
        }
    }

    @ParameterizedTest
    @FieldSource("overlays")
    void portsProbesAndMetricsAreTheServicesOwn(String overlay) {
        var objects = Manifests.render(Manifests.KUBERNETES.resolve("overlays/" + overlay));
        for (String service : SERVICES) {
            Properties app = applicationProperties(service);
            int port = Integer.parseInt(app.getProperty("quarkus.http.port"));
            Container c = container(objects, service);
            assertEquals(port, c.getPorts().get(0).getContainerPort(), service);
            assertEquals("http", c.getPorts().get(0).getName());
            assertEquals("/q/health/started", c.getStartupProbe().getHttpGet().getPath());
            assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath());
            assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
            // not Kubernetes' default of 1 s, which a busy JVM's answer can take (docs/kubernetes.md)
            assertTrue(c.getLivenessProbe().getTimeoutSeconds() != null && c.getLivenessProbe().getTimeoutSeconds() >= 5, service);
            assertTrue(c.getReadinessProbe().getTimeoutSeconds() != null && c.getReadinessProbe().getTimeoutSeconds() >= 3, service);
            assertTrue(pom(service).contains("<artifactId>quarkus-smallrye-health</artifactId>"), service + " serves /q/health");
            var annotations = template(objects, service).getMetadata().getAnnotations();
            assertEquals(app.getProperty("quarkus.micrometer.export.prometheus.path"), annotations.get("prometheus.io/path"));
            assertEquals(String.valueOf(port), annotations.get("prometheus.io/port"));
            for (Service s : of(objects, Service.class)) {
                if (s.getMetadata().getName().startsWith(service)) {
                    assertEquals(port, s.getSpec().getPorts().get(0).getPort(), s.getMetadata().getName());
                }
            }
            NetworkPolicy policy = named(objects, NetworkPolicy.class, service);
            assertEquals(port, policy.getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal(), service);
            String dockerfile = read(Manifests.ROOT.resolve(service + "/src/main/docker/Dockerfile.jvm"));
            assertTrue(dockerfile.contains("EXPOSE " + port), service + " Dockerfile.jvm exposes " + port);
            assertTrue(read(Manifests.ROOT.resolve(service + "/src/main/docker/Dockerfile.native")).contains("EXPOSE " + port));
            var security = c.getSecurityContext();
            assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), service);
            assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), service);
            assertEquals(Boolean.TRUE, template(objects, service).getSpec().getSecurityContext().getRunAsNonRoot(), service);
            assertNotNull(c.getResources().getRequests().get("memory"), service);
            assertNotNull(c.getResources().getLimits().get("memory"), service);
        }
        // carbon-service's pods advertise a name the headless Service resolves
        StatefulSet carbon = named(objects, StatefulSet.class, "carbon-service");
        assertEquals("carbon-service-headless", carbon.getSpec().getServiceName());
        assertTrue(applicationPropertiesInManifest(objects, "carbon-service").getProperty("kafka-streams.application.server")
                .startsWith("${POD_NAME}.carbon-service-headless.${POD_NAMESPACE}.svc:"));
        // both stream services are static members of their groups under their pods' stable names
        for (String service : List.of("telemetry-service", "carbon-service")) {
            assertEquals("${POD_NAME}", applicationPropertiesInManifest(objects, service).getProperty("kafka-streams.group.instance.id"),
                    service);
            var podName = template(objects, service).getSpec().getContainers().get(0).getEnv().stream()
                    .filter(e -> e.getName().equals("POD_NAME")).findFirst().orElseThrow(() -> new AssertionError(service + ": no POD_NAME"));
            assertEquals("metadata.name", podName.getValueFrom().getFieldRef().getFieldPath(), service);
            assertNotNull(named(objects, StatefulSet.class, service), service + " keeps its pods' names: a StatefulSet");
        }
    }

    @ParameterizedTest
    @FieldSource("overlays")
    void everySettingIsOneTheServiceReadsAndEveryVariableAndFileIsThere(String overlay) {
        var objects = Manifests.render(Manifests.KUBERNETES.resolve("overlays/" + overlay));
        for (String service : SERVICES) {
            Properties manifest = applicationPropertiesInManifest(objects, service);
            Set<String> known = keysRead(service);
            boolean streams = applicationProperties(service).getProperty("quarkus.kafka-streams.application-id") != null;
            for (String key : manifest.stringPropertyNames()) {
                boolean kafka = key.startsWith("kafka.") && KAFKA_CLIENT_KEYS.contains(key.substring("kafka.".length()));
                boolean kafkaStreams = streams && key.startsWith("kafka-streams.")
                        && STREAMS_KEYS.contains(key.substring("kafka-streams.".length()));
                assertTrue(known.contains(key) || kafka || kafkaStreams, service + ": " + key + " is read by nothing");
            }
            Container c = container(objects, service);
            Set<String> env = c.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
            Set<String> referenced = new TreeSet<>();
            Matcher m = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)}").matcher(String.join("\n",
                    manifest.stringPropertyNames().stream().map(manifest::getProperty).toList()));
            while (m.find()) {
                referenced.add(m.group(1));
            }
            for (String v : referenced) {
                assertTrue(env.contains(v), service + ": ${" + v + "} is not in the container's environment");
            }
            String entrypoint = read(Manifests.ROOT.resolve("deploy/containers/java-entrypoint.sh"));
            for (String v : env) {
                assertTrue(referenced.contains(v) || READ_ELSEWHERE.containsKey(v), service + ": " + v + " is read by nothing");
                if (READ_ELSEWHERE.getOrDefault(v, "").contains("java-entrypoint.sh")) {
                    assertTrue(entrypoint.contains("${" + v), service + ": " + v + " is not read by java-entrypoint.sh");
                }
            }
            // the AOT cache must outlive the container: a directory on a claim of the StatefulSet, not on its read-only root
            c.getEnv().stream().filter(e -> e.getName().equals("CARBONSTREAM_AOT_DIR")).findFirst().ifPresent(aot -> {
                VolumeMount mount = c.getVolumeMounts().stream().filter(vm -> aot.getValue().startsWith(vm.getMountPath() + "/"))
                        .findFirst().orElseThrow(() -> new AssertionError(service + ": CARBONSTREAM_AOT_DIR " + aot.getValue() + " is on no volume"));
                StatefulSet set = named(objects, StatefulSet.class, service);
                assertNotNull(set, service + ": CARBONSTREAM_AOT_DIR needs a volume that outlives the pod: a StatefulSet's claim");
                assertTrue(set.getSpec().getVolumeClaimTemplates().stream().anyMatch(t -> t.getMetadata().getName().equals(mount.getName())),
                        service + ": CARBONSTREAM_AOT_DIR " + aot.getValue() + " is on " + mount.getName() + ", not a claim");
            });
            // the configuration file is where Quarkus looks: config/application.properties in the working directory
            assertTrue(c.getVolumeMounts().stream().anyMatch(vm -> vm.getMountPath().equals("/deployments/config")
                    && volume(objects, service, vm).getConfigMap().getName().startsWith(service + "-config")), service);
            String dockerfile = read(Manifests.ROOT.resolve(service + "/src/main/docker/Dockerfile.jvm"));
            assertTrue(dockerfile.contains("WORKDIR /deployments"), service);
            assertTrue(read(Manifests.ROOT.resolve(service + "/src/main/docker/Dockerfile.native")).contains("WORKDIR /deployments"), service);
            // every file the configuration names is mounted, from the secret key of that name
            for (String key : manifest.stringPropertyNames()) {
                String value = manifest.getProperty(key);
                if (!value.startsWith("/")) {
                    continue;
                }
                Path file = Path.of(value);
                VolumeMount mount = c.getVolumeMounts().stream()
                        .filter(vm -> file.startsWith(vm.getMountPath())).findFirst()
                        .orElseThrow(() -> new AssertionError(service + ": " + key + "=" + value + " is on no volume"));
                Volume v = volume(objects, service, mount);
                if (v.getSecret() != null) {
                    String inVolume = Path.of(mount.getMountPath()).relativize(file).toString();
                    assertTrue(v.getSecret().getItems().stream().anyMatch(i -> i.getPath().equals(inVolume)),
                            service + ": " + value + " is not an item of secret " + v.getSecret().getSecretName());
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("overlays")
    void eachKafkaUserIsAllowedExactlyWhatItsServiceUses(String overlay) {
        var objects = Manifests.render(Manifests.KUBERNETES.resolve("overlays/" + overlay));
        for (String service : SERVICES) {
            KafkaUser user = named(objects, KafkaUser.class, service);
            assertEquals("tls", user.getSpec().getAuthentication().getType(), service);
            Map<String, Set<String>> granted = grants(user);
            Map<String, Set<String>> needed = needs(service);
            assertEquals(new TreeMap<>(needed), new TreeMap<>(granted), service + ": ACLs against what the service uses");
            String secret = user.getMetadata().getName();
            Container c = container(objects, service);
            assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("KAFKA_USER_PASSWORD")
                    && e.getValueFrom().getSecretKeyRef().getName().equals(secret)), service + " uses its own KafkaUser");
        }
        // subscribers read the footprints, roll-ups and budget alerts, and nothing else
        Map<String, Set<String>> reader = grants(named(objects, KafkaUser.class, "footprint-reader"));
        assertEquals(Map.of("topic:" + Topics.CARBON_FOOTPRINT, Set.of("Describe", "Read"),
                "topic:" + Topics.CARBON_ROLLUPS, Set.of("Describe", "Read"),
                "topic:" + Topics.CARBON_ALERTS, Set.of("Describe", "Read"),
                "group:footprint-reader-*", Set.of("Describe", "Read")), reader);
        // the brokers take TLS clients only, authenticated, with ACLs
        Kafka kafka = one(objects, Kafka.class);
        assertEquals(1, kafka.getSpec().getKafka().getListeners().size());
        var listener = kafka.getSpec().getKafka().getListeners().get(0);
        assertTrue(listener.isTls(), "the listener is TLS");
        assertEquals("tls", listener.getAuth().getType());
        assertEquals("simple", kafka.getSpec().getKafka().getAuthorization().getType());
        for (String service : SERVICES) {
            String bootstrap = applicationPropertiesInManifest(objects, service).getProperty("kafka.bootstrap.servers");
            assertEquals(kafka.getMetadata().getName() + "-kafka-bootstrap:" + listener.getPort(), bootstrap, service);
        }
    }

    /** What a service's configuration and code use, as resource -> operations ("topic:name", "group:prefix*"). */
    static Map<String, Set<String>> needs(String service) {
        Properties app = applicationProperties(service);
        Map<String, Set<String>> needed = new HashMap<>();
        TOPICS_IN_CODE.get(service).forEach((topic, ops) -> add(needed, "topic:" + topic, ops));
        for (String key : app.stringPropertyNames()) {
            Matcher channel = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.topic").matcher(key);
            if (channel.matches()) {
                add(needed, "topic:" + app.getProperty(key), Set.of(channel.group(1).equals("incoming") ? "Read" : "Write"));
            }
            Matcher group = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.group\\.id").matcher(key);
            if (group.matches()) {
                String id = app.getProperty(key);
                add(needed, "group:" + (id.contains("${") ? id.substring(0, id.indexOf("${")) + "*" : id), Set.of("Read", "Describe"));
            }
        }
        String applicationId = app.getProperty("quarkus.kafka-streams.application-id");
        if (applicationId != null) {
            for (String topic : app.getProperty("quarkus.kafka-streams.topics").split(",")) {
                assertTrue(needed.containsKey("topic:" + topic), service + ": Kafka Streams topic " + topic
                        + " is neither a channel's nor in TOPICS_IN_CODE");
            }
            add(needed, "group:" + applicationId, Set.of("Read", "Describe"));
            add(needed, "topic:" + applicationId + "-*", Set.of("Create", "Delete", "Describe", "DescribeConfigs", "Read", "Write"));
            assertEquals("exactly_once_v2", app.getProperty("kafka-streams.processing.guarantee"));
            add(needed, "transactionalId:" + applicationId + "-*", Set.of("Describe", "Write"));
        }
        // reading or writing a topic also needs to describe it (metadata)
        needed.forEach((resource, ops) -> {
            if (resource.startsWith("topic:")) {
                ops.add("Describe");
            }
        });
        return needed;
    }

    static Map<String, Set<String>> grants(KafkaUser user) {
        Map<String, Set<String>> granted = new HashMap<>();
        var authorization = (KafkaUserAuthorizationSimple) user.getSpec().getAuthorization();
        for (AclRule rule : authorization.getAcls()) {
            String resource;
            if (rule.getResource() instanceof AclRuleTopicResource t) {
                resource = "topic:" + t.getName() + suffix(t.getPatternType().toValue());
            } else if (rule.getResource() instanceof AclRuleGroupResource g) {
                resource = "group:" + g.getName() + suffix(g.getPatternType().toValue());
            } else if (rule.getResource() instanceof AclRuleTransactionalIdResource x) {
                resource = "transactionalId:" + x.getName() + suffix(x.getPatternType().toValue());
            } else {
                throw new AssertionError(user.getMetadata().getName() + ": unexpected ACL resource " + rule.getResource());
            }
            assertEquals(null, rule.getOperation(), "operations, not the deprecated single operation");
            assertFalse(granted.containsKey(resource), user.getMetadata().getName() + ": " + resource + " twice");
            granted.put(resource, rule.getOperations().stream().map(AclOperation::toValue).collect(Collectors.toCollection(TreeSet::new)));
        }
        return granted;
    }

    private static String suffix(String patternType) {
        return patternType.equals("prefix") ? "*" : "";
    }

    private static void add(Map<String, Set<String>> m, String resource, Set<String> ops) {
        m.computeIfAbsent(resource, r -> new TreeSet<>()).addAll(ops);
    }

    // ---- what a service reads

    static final Set<String> KAFKA_CLIENT_KEYS = Stream.of(ProducerConfig.configNames(), ConsumerConfig.configNames(),
            AdminClientConfig.configNames()).flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());
    static final Set<String> STREAMS_KEYS = Stream.concat(KAFKA_CLIENT_KEYS.stream(), StreamsConfig.configDef().names().stream())
            .collect(Collectors.toUnmodifiableSet());

    /** Keys of the packaged application.properties and every name the service's code (and its libraries') reads. */
    static Set<String> keysRead(String service) {
        Set<String> keys = new HashSet<>();
        applicationProperties(service).stringPropertyNames()
                .forEach(k -> keys.add(k.startsWith("%") ? k.substring(k.indexOf('.') + 1) : k));
        Pattern read = Pattern.compile("(?:@ConfigProperty\\(name\\s*=\\s*|getOptionalValue\\(|getValue\\()\"([a-z][a-z0-9.-]*)\"");
        for (String module : List.of(service, "service-support", "streams-support")) {
            try (Stream<Path> files = Files.walk(Manifests.ROOT.resolve(module + "/src/main/java"))) {
                files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                    String source = read(p);
                    Matcher m = read.matcher(source);
                    while (m.find()) {
                        keys.add(m.group(1));
                    }
                    keys.addAll(mappedKeys(source));
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keys;
    }

    static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([a-z][a-z0-9.-]*)\"\\)");
    static final Pattern MAPPED = Pattern.compile("^\\s+[A-Za-z][\\w.<>]*\\s+([a-z]\\w*)\\(\\);", Pattern.MULTILINE);

    /**
     * The keys a {@code @ConfigMapping} interface reads: its prefix and each abstract method's name in kebab case
     * ({@code sweepEntries()} under {@code carbonstream.retention}: {@code carbonstream.retention.sweep-entries}).
     */
    static Set<String> mappedKeys(String source) {
        Matcher prefix = MAPPING.matcher(source);
        if (!prefix.find()) {
            return Set.of();
        }
        Set<String> keys = new HashSet<>();
        Matcher method = MAPPED.matcher(source);
        while (method.find()) {
            keys.add(prefix.group(1) + "." + method.group(1).replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT));
        }
        return keys;
    }

    static Properties applicationProperties(String service) {
        return properties(read(Manifests.ROOT.resolve(service + "/src/main/resources/application.properties")));
    }

    static Properties applicationPropertiesInManifest(List<Manifests.Rendered> objects, String service) {
        var config = of(objects, io.fabric8.kubernetes.api.model.ConfigMap.class).stream()
                .filter(cm -> cm.getMetadata().getName().startsWith(service + "-config")).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + service + "-config"));
        return properties(config.getData().get("application.properties"));
    }

    private static Properties properties(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    // ---- finding things in the rendered objects

    static <T> List<T> of(List<Manifests.Rendered> objects, Class<T> type) {
        return objects.stream().map(Manifests.Rendered::model).filter(type::isInstance).map(type::cast).toList();
    }

    static <T> T one(List<Manifests.Rendered> objects, Class<T> type) {
        List<T> all = of(objects, type);
        assertEquals(1, all.size(), type.getSimpleName());
        return all.get(0);
    }

    static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T named(List<Manifests.Rendered> objects, Class<T> type, String name) {
        return of(objects, type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    static PodTemplateSpec template(List<Manifests.Rendered> objects, String service) {
        List<PodTemplateSpec> found = new ArrayList<>();
        of(objects, Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(service))
                .forEach(d -> found.add(d.getSpec().getTemplate()));
        of(objects, StatefulSet.class).stream().filter(d -> d.getMetadata().getName().equals(service))
                .forEach(d -> found.add(d.getSpec().getTemplate()));
        assertEquals(1, found.size(), service + ": one Deployment or StatefulSet");
        return found.get(0);
    }

    static Container container(List<Manifests.Rendered> objects, String service) {
        var containers = template(objects, service).getSpec().getContainers();
        assertEquals(1, containers.size(), service);
        return containers.get(0);
    }

    static Volume volume(List<Manifests.Rendered> objects, String service, VolumeMount mount) {
        var spec = template(objects, service).getSpec();
        return spec.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                .orElseGet(() -> {
                    // a StatefulSet's claim template: a volume of its own, not a Secret
                    StatefulSet sts = named(objects, StatefulSet.class, service);
                    assertTrue(sts.getSpec().getVolumeClaimTemplates().stream()
                            .anyMatch(t -> t.getMetadata().getName().equals(mount.getName())), mount.getName());
                    return new Volume();
                });
    }

    private static String pom(String service) {
        return read(Manifests.ROOT.resolve(service + "/pom.xml"));
    }

    private static String rootPomProperty(String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(read(Manifests.ROOT.resolve("pom.xml")));
        assertTrue(m.find(), name);
        return m.group(1);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
