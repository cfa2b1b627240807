package io.carbonstream.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.local.KafkaBroker;
import io.carbonstream.local.Ports;
import io.carbonstream.local.PostgresServer;
import io.carbonstream.local.Tokens;
import io.restassured.response.Response;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes settings, run for real: a broker like the one the manifests describe (a TLS listener that requires
 * client certificates, ACLs enforced, no ACL no access) with the topics of {@code kafka/topics.yaml} and exactly the
 * ACLs of {@code kafka/users.yaml}; a PostgreSQL with one role and database per service; and the three images, each
 * run as a container with what the rendered dev overlay gives its pod (Pods: env, ConfigMap and Secret files,
 * volumes, user, read-only root, limits) and probed and restarted as the kubelet would. Only the cluster's host names
 * and the HTTP port are mapped to this machine. A job trained through it comes out exact, also across a SIGKILL of
 * carbon-service and through a burst under the memory limits, and the subscribers' user reads the footprints and
 * nothing else. No shared stack: this class brings its own.
 */
@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesSettingsIT {

    static final Path ROOT = Path.of(System.getProperty("carbonstream.root", "..")).toAbsolutePath().normalize();
    static final Path BASE = ROOT.resolve("deploy/kubernetes/base");
    /** The overlay whose pods are run: dev, or one of src/test/kubernetes/mutants, which must make this test fail. */
    static final Path OVERLAY = ROOT.resolve(System.getProperty("carbonstream.k8s.overlay", "deploy/kubernetes/overlays/dev"));
    static final Path HOME = ROOT.resolve("e2e-tests/target/kubernetes-settings");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String STORE_PASSWORD = "changeit-" + Long.toHexString(System.nanoTime());
    static final String DB_PASSWORD = "db-" + Long.toHexString(System.nanoTime());
    static final List<String> SERVICES = List.of("trainer-service", "telemetry-service", "carbon-service");

    static KafkaBroker broker;
    static PostgresServer postgres;
    static int tlsPort;
    static final Map<String, Integer> httpPorts = new LinkedHashMap<>();
    static final Map<String, Pods.Pod> services = new LinkedHashMap<>();
    static final List<JsonNode> RENDERED = new ArrayList<>();
    /**
     * The JDK of the images' base, made by deploy/containers/make-base.sh unless carbonstream.image.base names one: 25,
     * the Dockerfiles' default, where this machine has a JDK 25 to copy into it (JAVA25_HOME, or make-base.sh's
     * default), else 17 from Debian's packages; carbonstream.image.jdk chooses.
     */
    static final String JDK = System.getProperty("carbonstream.image.jdk", jdk25Here() ? "25" : "17");
    static final String BASE_IMAGE = System.getProperty("carbonstream.image.base", "localhost/carbonstream/jre" + JDK + "-debian:bookworm");
    static String admin;
    static String trainer;

    @BeforeAll
    static void startTheClusterOnThisMachine() throws Exception {
        deleteTree(HOME);
        Files.createDirectories(HOME);
        Path pki = HOME.resolve("pki");
        Certificates.authority(pki);
        Certificates.identity(pki, "broker", true);
        for (String user : List.of("trainer-service", "telemetry-service", "carbon-service", "footprint-reader")) {
            Certificates.identity(pki, user, false);
        }
        tlsPort = Ports.free();
        int plainPort = Ports.free();
        int controllerPort = Ports.free();
        // the manifests' Kafka: TLS with client certificates, the simple authorizer, nothing allowed without an ACL
        broker = new KafkaBroker(HOME.resolve("kafka"), plainPort, controllerPort, HOME.resolve("kafka.log"), "512m").with(Map.ofEntries(
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d,TLS://127.0.0.1:%d"
                        .formatted(plainPort, controllerPort, tlsPort)),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:%d,TLS://127.0.0.1:%d".formatted(plainPort, tlsPort)),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,TLS:SSL"),
                Map.entry("ssl.keystore.type", "PKCS12"),
                Map.entry("ssl.keystore.location", pki.resolve("broker.p12").toString()),
                Map.entry("ssl.keystore.password", STORE_PASSWORD),
                Map.entry("ssl.truststore.type", "PKCS12"),
                Map.entry("ssl.truststore.location", pki.resolve("ca-trust.p12").toString()),
                Map.entry("ssl.truststore.password", STORE_PASSWORD),
                Map.entry("ssl.client.auth", "required"),
                Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                // the PLAINTEXT listener is this test's admin and the controller's own; every TLS client needs ACLs
                Map.entry("super.users", "User:ANONYMOUS"),
                Map.entry("allow.everyone.if.no.acl.found", "false")));
        broker.start(Duration.ofSeconds(90));
        try (Admin kafka = broker.admin()) {
            kafka.createTopics(topics()).all().get(60, TimeUnit.SECONDS);
            List<AclBinding> acls = acls();
            kafka.createAcls(acls).all().get(60, TimeUnit.SECONDS);
            assertTrue(acls.size() > 20, "the ACLs of users.yaml: " + acls.size());
        }
        // the manifests' PostgreSQL: one role and one database per service, each owned by its role only
        postgres = PostgresServer.start(HOME.resolve("postgres"), Ports.free(), true);
        for (String db : List.of("trainer", "telemetry", "carbon")) {
            postgres.execute("CREATE ROLE " + db + " LOGIN PASSWORD '" + DB_PASSWORD + "'",
                    "CREATE DATABASE " + db + " OWNER " + db, "REVOKE ALL ON DATABASE " + db + " FROM PUBLIC");
        }
        Path keys = HOME.resolve("keys");
        var key = Tokens.keys(keys).getPrivate();
        admin = Tokens.issue(key, null, Set.of("admin"), Duration.ofHours(1));
        trainer = Tokens.issue(key, "k8s", Set.of("trainer", "viewer"), Duration.ofHours(1));
        for (String s : SERVICES) {
            httpPorts.put(s, Ports.free());
        }
        // the images, as docs/kubernetes.md builds them (on a JRE base made from Debian's packages: no registry here)
        Pods.sh(ROOT.resolve("deploy/containers/make-base.sh").toString(), "--jdk", JDK, BASE_IMAGE);
        Pods.sh(ROOT.resolve("deploy/local/carbonstream").toString(), "images", "--base", BASE_IMAGE);
        for (String s : SERVICES) {
            services.put(s, pod(s, s, httpPorts.get(s), secretFiles(s, pki, keys)).start());
        }
        for (String s : SERVICES) {
            awaitReady(s);
        }
    }

    @AfterAll
    static void stop() {
        services.values().forEach(pod -> System.out.println("memory: " + pod.memoryReport()));
        services.values().forEach(Pods.Pod::close);
        if (broker != null) {
            broker.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void aJobThroughServicesConfiguredAsOnKubernetesIsExactAndSubscribersReadOnlyTheFootprints() throws Exception {
        String carbonUrl = url("carbon-service");
        Instant t0 = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String job = register("on kubernetes", t0);
        post(job, t0, 0, 10, 600);
        // through telemetry-service (Kafka Streams, exactly once, its own ACLs) and carbon-service
        FootprintEvent f = Await.footprint(url("carbon-service"), trainer, job, 10, Duration.ofSeconds(120), () -> "");
        assertEquals(10, f.batches());
        assertEquals(new BigDecimal("710.000000"), f.itEnergyJoules().accelerator());
        // the roll-ups go through Kafka Streams' repartition topic (its prefixed ACLs)
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Response r = given().baseUri(carbonUrl).auth().oauth2(trainer).get("/rollups/tenants/k8s");
            if (r.statusCode() == 200 && (int) r.path("batches") == 10) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "roll-up of k8s: " + r.asString());
            Thread.sleep(250);
        }
        // carbon-service writes grid.intensity (POST /intensity) and reads it back through its global store
        Instant from = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        given().baseUri(carbonUrl).auth().oauth2(admin).contentType("application/json").body("""
                        {"zone":"SE","validFrom":"%s","validTo":"%s","gCo2ePerKWh":"12.5","signal":"AVERAGE"}"""
                        .formatted(from, from.plus(1, ChronoUnit.HOURS)))
                .post("/intensity").then().statusCode(202);
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Response r = given().baseUri(carbonUrl).auth().oauth2(admin).get("/intensity/SE?at=" + from.plusSeconds(60));
            if (r.statusCode() == 200 && "MANUAL".equals(r.path("observation.source"))) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "manual observation not applied: " + r.asString());
            Thread.sleep(250);
        }
        // telemetry-service reads its dead-letter topic with its own user
        given().baseUri(url("telemetry-service")).auth().oauth2(admin).get("/dead-letters").then().statusCode(200);

        // the subscribers' user: carbon.footprint in a footprint-reader-* group, and nothing else
        Path pki = HOME.resolve("pki");
        try (KafkaConsumer<String, String> reader = consumer(pki, "footprint-reader", "footprint-reader-it")) {
            reader.subscribe(List.of("carbon.footprint"));
            int seen = 0;
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen < 10) {
                assertTrue(System.nanoTime() < deadline, "footprint-reader read " + seen + " footprints");
                for (var rec : reader.poll(Duration.ofMillis(500))) {
                    if (job.equals(rec.key())) {
                        seen++;
                    }
                }
            }
        }
        try (KafkaConsumer<String, String> reader = consumer(pki, "footprint-reader", "footprint-reader-it2")) {
            reader.subscribe(List.of("training.batches"));
            assertThrows(TopicAuthorizationException.class, () -> pollUntilFailure(reader));
        }
        try (KafkaConsumer<String, String> reader = consumer(pki, "footprint-reader", "someone-elses-group")) {
            reader.subscribe(List.of("carbon.footprint"));
            assertThrows(GroupAuthorizationException.class, () -> pollUntilFailure(reader));
        }
        // and every service stayed healthy throughout
        for (String s : SERVICES) {
            given().baseUri(url(s)).get("/q/health").then().statusCode(200);
            assertTrue(services.get(s).running(), s);
        }
    }

    @Test
    @Order(2)
    void aCarbonServiceKilledMidRunRestartsOnItsStateVolumeAndCountsExactly() throws Exception {
        Instant t0 = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String job = register("killed mid-run", t0);
        post(job, t0, 0, 10, 600);
        Await.footprint(url("carbon-service"), trainer, job, 10, Duration.ofSeconds(180), () -> "");
        Pods.Pod carbon = services.get("carbon-service");
        int before = carbon.exitRestarts.get();
        carbon.kill9();
        post(job, t0, 10, 10, 600);
        awaitRestartedAndReady("carbon-service", before);
        FootprintEvent f = Await.footprint(url("carbon-service"), trainer, job, 20, Duration.ofSeconds(240), () -> "");
        assertEquals(20, f.batches());
        assertEquals(new BigDecimal("1420.000000"), f.itEnergyJoules().accelerator());
        assertEquals(0, carbon.livenessRestarts.get(), "carbon-service failed its probes after the restart");
    }

    /** 30,000 batches, 1,000 a request from 4 clients, through the containers under their memory limits. */
    @Test
    @Order(3)
    void aBurstIsCountedExactlyWithEveryContainerUnderItsMemoryLimit() throws Exception {
        int jobs = 10;
        int perJob = Integer.getInteger("carbonstream.burst.batches", 30_000) / jobs;
        Instant t0 = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<String> ids = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            ids.add(register("burst " + j, t0));
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        long started = System.nanoTime();
        for (String job : ids) {
            for (int first = 0; first < perJob; first += 1000) {
                int from = first;
                sent.add(pool.submit(() -> post(job, t0, from, Math.min(1000, perJob - from), 10)));
            }
        }
        for (var f : sent) {
            try {
                f.get(10, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("a request of the burst failed; " + kubelets(), e.getCause());
            }
        }
        pool.shutdown();
        for (String job : ids) {
            FootprintEvent f = Await.footprint(url("carbon-service"), trainer, job, perJob, Duration.ofSeconds(600), () -> "");
            assertEquals(perJob, f.batches(), job);
            assertEquals(new BigDecimal(71L * perJob).setScale(6), f.itEnergyJoules().accelerator(), job);
        }
        System.out.printf("containers: %d batches counted in %.1f s%n", jobs * perJob, (System.nanoTime() - started) / 1e9);
        for (Pods.Pod pod : services.values()) {
            pod.sample();
            System.out.println("memory: " + pod.memoryReport());
            System.out.println("probes: " + pod.probeReport());
            assertEquals(0, pod.oomKills.get(), pod.memoryReport());
            assertTrue(pod.peakWorkingSet.get() < pod.memoryLimit, pod.memoryReport());
            assertEquals(0, pod.livenessRestarts.get(), pod.service + " was restarted for failing its probes");
            assertTrue(pod.running(), pod.service);
        }
        assertEquals(0, services.get("trainer-service").exitRestarts.get() + services.get("telemetry-service").exitRestarts.get(),
                "a container exited");
    }

    /** A Secret that is missing leaves its mount empty: the pod stops at once with one line naming the file. */
    @Test
    @Order(4)
    void aPodWithoutItsKafkaUserSecretStopsWithOneLineNamingTheFile() throws Exception {
        Path pki = HOME.resolve("pki");
        Map<String, Path> files = new LinkedHashMap<>(secretFiles("trainer-service", pki, HOME.resolve("keys")));
        files.remove("user.p12");
        try (Pods.Pod pod = pod("trainer-service", "trainer-service-without-its-secret", Ports.free(), files).start()) {
            String line = exitsWithinItsStartupWindowWithOneLineNaming(pod, "/etc/carbonstream/kafka-user/user.p12");
            assertTrue(line.contains("cannot start: kafka.ssl.keystore.location names /etc/carbonstream/kafka-user/user.p12,"
                    + " which does not exist"), line);
            assertTrue(!pod.ready.get());
        }
    }

    /**
     * Waits for a pod's container to exit within its startup probe's window (periodSeconds x failureThreshold), and
     * returns the one line of its log that contains {@code needle}.
     */
    static String exitsWithinItsStartupWindowWithOneLineNaming(Pods.Pod pod, String needle) throws Exception {
        JsonNode startup = workload(pod.service).at("/spec/template/spec/containers/0/startupProbe");
        long window = (long) startup.path("periodSeconds").asInt(10) * startup.path("failureThreshold").asInt(3);
        long deadline = System.nanoTime() + Duration.ofSeconds(window).toNanos();
        while (pod.exitRestarts.get() == 0) {
            assertTrue(System.nanoTime() < deadline, "still running after the startup probe's " + window + " s: " + tail(pod.logs()));
            Thread.sleep(200);
        }
        String log = pod.logs();
        List<String> lines = log.lines().filter(l -> l.contains(needle)).toList();
        assertEquals(1, lines.size(), log);
        return lines.get(0);
    }

    /** What the kubelets saw: each pod's restarts and probes, for a failure's message. */
    static String kubelets() {
        StringBuilder seen = new StringBuilder();
        services.values().forEach(p -> seen.append(p.service).append(" restarted ").append(p.livenessRestarts.get())
                .append(" time(s) for its probes and ").append(p.exitRestarts.get()).append(" for exiting; ")
                .append(p.probeReport()).append("; "));
        return seen.toString();
    }

    /**
     * The rendered trainer-service Deployment run by {@code podman kube play} itself, not by this test's kubelet: its
     * image, env, ConfigMap, security context and limits as podman reads them from the manifest. Three things are
     * changed, each for this machine: the pod shares the host's network (hostNetwork, with QUARKUS_HTTP_PORT set,
     * and that port in the probes instead of the named container port, which podman would map),
     * the image is the one built here (imagePullPolicy Never), and each Secret volume is a host directory holding
     * the Secret's items, because podman 4.3 crashes on secret volumes (its env secrets are podman secrets).
     */
    @Test
    @Order(5)
    void theTrainerDeploymentRunsUnderPodmanKubePlay() throws Exception {
        Path dir = HOME.resolve("kube-play");
        Files.createDirectories(dir);
        int port = Ports.free();
        ObjectNode deployment = workload("trainer-service").deepCopy();
        ObjectNode spec = (ObjectNode) deployment.at("/spec/template/spec");
        spec.put("hostNetwork", true);
        ObjectNode container = (ObjectNode) spec.at("/containers/0");
        container.put("imagePullPolicy", "Never");
        container.withArray("env").addObject().put("name", "QUARKUS_HTTP_PORT").put("value", String.valueOf(port));
        // on the host's network podman maps no ports: the named port becomes that number in the probes
        container.remove("ports");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            if (container.at("/" + probe + "/httpGet").isObject()) {
                ((ObjectNode) container.at("/" + probe + "/httpGet")).put("port", port);
            }
        }
        Map<String, Path> files = secretFiles("trainer-service", HOME.resolve("pki"), HOME.resolve("keys"));
        String configMap = null;
        for (JsonNode v : spec.withArray("volumes")) {
            ObjectNode volume = (ObjectNode) v;
            if (volume.has("secret")) {
                Path items = dir.resolve(volume.path("name").asText());
                Files.createDirectories(items);
                Pods.Pod.secretItems(items, volume, files);
                volume.remove("secret");
                volume.putObject("hostPath").put("path", items.toString()).put("type", "Directory");
            } else if (volume.has("configMap")) {
                configMap = volume.at("/configMap/name").asText();
            }
        }
        Map<String, Map<String, String>> envSecrets = new LinkedHashMap<>();
        for (JsonNode e : container.path("env")) {
            JsonNode ref = e.at("/valueFrom/secretKeyRef");
            if (!ref.isMissingNode()) {
                envSecrets.computeIfAbsent(ref.path("name").asText(), n -> new LinkedHashMap<>()).put(ref.path("key").asText(),
                        Base64.getEncoder().encodeToString(secretValue("trainer-service", ref.path("key").asText()).getBytes()));
            }
        }
        for (var secret : envSecrets.entrySet()) {
            Path json = dir.resolve(secret.getKey() + ".json");
            Files.writeString(json, new ObjectMapper().writeValueAsString(secret.getValue()));
            Pods.out("sh", "-c", "podman secret rm " + secret.getKey() + " >/dev/null 2>&1; true");
            Pods.sh("podman", "secret", "create", secret.getKey(), json.toString());
        }
        StringBuilder kube = new StringBuilder();
        for (JsonNode doc : rendered()) {
            if ("ConfigMap".equals(doc.path("kind").asText()) && doc.at("/metadata/name").asText().equals(configMap)) {
                ObjectNode map = doc.deepCopy();
                ((ObjectNode) map.path("data")).put("application.properties", toThisMachine(doc.at("/data/application.properties").asText()));
                kube.append(YAML.writeValueAsString(map));
            }
        }
        assertTrue(kube.length() > 0, "no ConfigMap " + configMap + " in the rendered overlay");
        kube.append(YAML.writeValueAsString(deployment));
        Path file = dir.resolve("trainer-service.yaml");
        Files.writeString(file, kube);
        // a run killed before its kube down leaves the pod and, as a storage-only container that --replace does not
        // see, its container: both go first, by the names podman gives them (<deployment>-pod-0, <pod>-<container>)
        String pod = deployment.at("/metadata/name").asText() + "-pod-0";
        Pods.sh("podman", "pod", "rm", "-f", "-i", pod);
        for (JsonNode c : spec.withArray("containers")) {
            Pods.sh("podman", "rm", "-f", "-i", pod + "-" + c.path("name").asText());
        }
        Pods.sh("podman", "kube", "play", "--replace", file.toString());
        String trainerUrl = "http://127.0.0.1:" + port;
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
            while (true) {
                try {
                    if (given().baseUri(trainerUrl).get("/q/health/ready").statusCode() == 200) {
                        break;
                    }
                } catch (Exception starting) {
                    // not listening yet
                }
                assertTrue(System.nanoTime() < deadline, "the kube-played trainer-service not ready in 240 s: "
                        + Pods.out("sh", "-c", "podman pod logs $(podman pod ps -q --filter name=trainer-service) 2>&1 | tail -40"));
                Thread.sleep(500);
            }
            // what podman made of the manifest's security context and limits
            // podman names a Deployment's pod <name>-pod-0, and its containers <pod>-<container>
            String name = Pods.out("podman", "ps", "--format", "{{.Names}}").lines().map(String::strip)
                    .filter(n -> n.startsWith("trainer-service-pod-0-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no kube-played trainer-service container"));
            String settings = Pods.out("podman", "inspect", "--format", "{{.HostConfig.ReadonlyRootfs}} {{.Config.User}} {{.HostConfig.Memory}}", name).strip();
            JsonNode limits = container.at("/resources/limits");
            assertEquals("true 185:185 " + Pods.bytes(limits.path("memory").asText()), settings, name);
            Instant t0 = Instant.now().minus(4, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            String job = register(trainerUrl, "kube play", t0);
            post(trainerUrl, job, t0, 0, 5, 600);
            FootprintEvent f = Await.footprint(url("carbon-service"), trainer, job, 5, Duration.ofSeconds(180), () -> "");
            assertEquals(5, f.batches());
            assertEquals(new BigDecimal("355.000000"), f.itEnergyJoules().accelerator());
        } finally {
            Files.writeString(dir.resolve("trainer-service.log"),
                    Pods.out("sh", "-c", "podman pod logs $(podman pod ps -q --filter name=trainer-service) 2>&1; true"));
            Pods.sh("podman", "kube", "down", file.toString());
        }
    }

    /**
     * Prometheus as users run it: Debian's server scrapes the three pods where their annotations say (path and
     * port; the port mapped to this machine) and evaluates the shipped alerting rules. Undecodable records on
     * training.batches go to the dead-letter topic, and CarbonstreamDeadLettersRising fires, read from Prometheus'
     * API. The one change to the rules: that alert's {@code for: 10m} is 0 s here, so that it fires within the test.
     */
    @Test
    @Order(6)
    void prometheusScrapesThePodsAsAnnotatedAndTheDeadLettersAlertFires() throws Exception {
        Path dir = HOME.resolve("prometheus");
        Files.createDirectories(dir);
        ObjectNode rules = (ObjectNode) YAML.readTree(ROOT.resolve("deploy/observability/prometheus/carbonstream-rules.yaml").toFile());
        int changed = 0;
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if ("CarbonstreamDeadLettersRising".equals(rule.path("alert").asText())) {
                    ((ObjectNode) rule).put("for", "0s");
                    changed++;
                }
            }
        }
        assertEquals(1, changed, "CarbonstreamDeadLettersRising in the shipped rules");
        YAML.writeValue(dir.resolve("rules.yaml").toFile(), rules);
        StringBuilder config = new StringBuilder("""
                global: {scrape_interval: 2s, evaluation_interval: 2s}
                rule_files: [rules.yaml]
                scrape_configs:
                """);
        for (String s : SERVICES) {
            JsonNode template = workload(s).at("/spec/template");
            JsonNode annotations = template.at("/metadata/annotations");
            assertEquals("true", annotations.path("prometheus.io/scrape").asText(), s);
            // the annotated port is the container's http port, which this machine maps to httpPorts
            assertEquals(annotations.path("prometheus.io/port").asText(),
                    template.at("/spec/containers/0/ports/0/containerPort").asText(), s + "'s annotated port");
            config.append("""
                      - job_name: %s
                        metrics_path: %s
                        static_configs: [{targets: ['127.0.0.1:%d']}]
                    """.formatted(s, annotations.path("prometheus.io/path").asText(), httpPorts.get(s)));
        }
        Files.writeString(dir.resolve("prometheus.yml"), config);
        int port = Ports.free();
        Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        String api = "http://127.0.0.1:" + port + "/api/v1";
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                try {
                    List<String> health = given().baseUri(api).get("/targets").path("data.activeTargets.health");
                    if (health != null && health.size() == 3 && health.stream().allMatch("up"::equals)) {
                        break;
                    }
                } catch (Exception starting) {
                    // not listening yet
                }
                assertTrue(System.nanoTime() < deadline, () -> "targets not all up: " + given().baseUri(api).get("/targets").asString());
                Thread.sleep(500);
            }
            // one record first, so that the counter's series exists before the rest raise it (rate needs two samples)
            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("training.batches", "no-such-job", "{not json")).get();
                Thread.sleep(8000);
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("training.batches", "no-such-job-" + i, "{not json"));
                }
                producer.flush();
            }
            deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (true) {
                Response alerts = given().baseUri(api).get("/alerts");
                List<String> firing = alerts.path("data.alerts.findAll { it.state == 'firing' }.labels.alertname");
                if (firing.contains("CarbonstreamDeadLettersRising")) {
                    String topic = alerts.path("data.alerts.find { it.labels.alertname == 'CarbonstreamDeadLettersRising' }.labels.topic");
                    assertEquals("training.batches", topic, alerts.asString());
                    break;
                }
                assertTrue(System.nanoTime() < deadline, () -> "no dead-letter alert firing: " + alerts.asString() + " "
                        + given().baseUri(api).queryParam("query", "carbonstream_telemetry_dead_letters_total").get("/query").asString());
                Thread.sleep(1000);
            }
        } finally {
            prometheus.destroy();
            prometheus.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A setting its service cannot read stops the pod at start, with one line naming the setting and the value. */
    @Test
    @Order(7)
    void aPodWithAnInvalidSettingStopsWithOneLineNamingIt() throws Exception {
        Map<String, Path> files = secretFiles("trainer-service", HOME.resolve("pki"), HOME.resolve("keys"));
        try (Pods.Pod pod = pod("trainer-service", "trainer-service-with-an-invalid-setting", Ports.free(), files,
                "\nquarkus.http.limits.max-body-size=lots\n").start()) {
            String line = exitsWithinItsStartupWindowWithOneLineNaming(pod, "max-body-size");
            assertTrue(line.contains("The config property quarkus.http.limits.max-body-size with the config value \"lots\""), line);
            assertTrue(!pod.ready.get());
        }
    }

    /**
     * A rolling update's stop of each StatefulSet's pod: SIGTERM, its grace period, then the kubelet starts it again
     * on the same volumes. On JDK 25 the first run records what its load ran into CARBONSTREAM_AOT_DIR on the state
     * volume, written as it stops, within the grace period; the next start assembles the ahead-of-time cache from it,
     * within the memory limit, and runs with it; on JDK 17 the entrypoint says it does not use the setting. Either way
     * the job goes on exactly.
     */
    @Test
    @Order(8)
    void aStreamServiceStoppedGracefullyWritesItsAotCacheOnJdk25AndItsNextStartUsesIt() throws Exception {
        Instant t0 = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String job = register("rolling update", t0);
        post(job, t0, 0, 10, 600);
        Await.footprint(url("carbon-service"), trainer, job, 10, Duration.ofSeconds(180), () -> "");
        for (String service : List.of("telemetry-service", "carbon-service")) {
            Pods.Pod pod = services.get(service);
            Path aot = pod.volumes.resolve("streams").resolve("aot");
            int before = pod.exitRestarts.get();
            long stopping = System.nanoTime();
            pod.stop();
            double stopSeconds = (System.nanoTime() - stopping) / 1e9;
            String firstRun = pod.logs();
            awaitRestartedAndReady(service, before);
            String log = pod.logs();
            // what the entrypoint said in every run so far, for the record and for a failure's message
            String said = log.lines().filter(l -> l.startsWith("java-entrypoint: ") || l.startsWith("kubelet: "))
                    .collect(Collectors.joining("\n"));
            System.out.println(service + ", after the stop (" + pod.exitRestarts.get() + " restarts):\n" + said);
            List<String> files;
            try (var list = Files.list(aot)) {
                files = list.map(f -> f.getFileName().toString()).sorted().toList();
            } catch (java.nio.file.NoSuchFileException e) {
                files = List.of();
            }
            if (JDK.equals("17")) {
                assertTrue(firstRun.contains("java-entrypoint: CARBONSTREAM_AOT_DIR=/var/lib/carbonstream/streams/aot is not used: it needs JDK 25"),
                        service + ": " + tail(firstRun));
                assertEquals(List.of(), files, service + ": no cache on JDK 17");
            } else {
                assertTrue(firstRun.contains("java-entrypoint: recording an AOT configuration for /var/lib/carbonstream/streams/aot/carbonstream-"),
                        service + ": " + tail(firstRun));
                assertTrue(firstRun.contains("java-entrypoint: AOT configuration written to /var/lib/carbonstream/streams/aot/carbonstream-"),
                        service + ": no configuration written in the " + pod.gracePeriod + " s grace period (the stop took "
                                + stopSeconds + " s); " + pod.memoryReport() + "; " + tail(firstRun));
                // the configuration became the cache at the next start, and only the cache is left
                String restarted = log.startsWith(firstRun) ? log.substring(firstRun.length()) : log;
                assertEquals(1, files.size(), service + ": one cache and nothing else: " + files + "; " + said + "\n" + tail(restarted));
                assertTrue(files.get(0).matches("carbonstream-[0-9]+\\.aot"), service + ": " + files + "; " + said + "\n" + tail(restarted));
                assertTrue(Files.size(aot.resolve(files.get(0))) > 10_000_000, service + ": a cache of the application's classes and profiles");
                assertTrue(restarted.contains("java-entrypoint: assembling the AOT cache /var/lib/carbonstream/streams/aot/" + files.get(0)),
                        service + ": " + tail(restarted));
                assertTrue(restarted.contains("java-entrypoint: using the AOT cache /var/lib/carbonstream/streams/aot/" + files.get(0)),
                        service + ": " + tail(restarted));
                // a cache the JVM cannot use is a warning or an error of its aot (or cds) log
                assertTrue(!restarted.matches("(?s).*\\[(warning|error)\\]\\[(aot|cds).*"), service + ": " + tail(restarted));
                System.out.println("AOT cache of " + service + ": the stop took " + stopSeconds + " s; " + files.get(0) + " "
                        + Files.size(aot.resolve(files.get(0))) / 1_000_000 + " MB; " + pod.memoryReport());
            }
            assertEquals(0, pod.oomKills.get(), service + " was OOM-killed: " + pod.memoryReport());
        }
        post(job, t0, 10, 10, 600);
        FootprintEvent f = Await.footprint(url("carbon-service"), trainer, job, 20, Duration.ofSeconds(240), () -> "");
        assertEquals(20, f.batches());
        assertEquals(new BigDecimal("1420.000000"), f.itEnergyJoules().accelerator());
    }

    static boolean jdk25Here() {
        Path release = Path.of(System.getenv().getOrDefault("JAVA25_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "release");
        try {
            return Files.readString(release).contains("JAVA_VERSION=\"25");
        } catch (IOException e) {
            return false;
        }
    }

    static String register(String name, Instant startedAt) {
        return register(url("trainer-service"), name, startedAt);
    }

    static String register(String trainerUrl, String name, Instant startedAt) {
        return given().baseUri(trainerUrl).auth().oauth2(trainer).contentType("application/json").body("""
                        {"name":"%s","model":"k8s-model","acceleratorType":"nvidia-t4",
                         "datacenter":"aws-eu-north-1","startedAt":"%s"}""".formatted(name, startedAt))
                .post("/jobs").then().statusCode(201).extract().path("id");
    }

    /** Batches {@code first..first+count-1} of a job, each 1 s, {@code every} seconds apart. */
    static void post(String job, Instant t0, int first, int count, int every) {
        post(url("trainer-service"), job, t0, first, count, every);
    }

    static void post(String trainerUrl, String job, Instant t0, int first, int count, int every) {
        StringBuilder batches = new StringBuilder("[");
        for (int step = first; step < first + count; step++) {
            Instant start = t0.plusSeconds((long) every * step);
            batches.append(step == first ? "" : ",").append("""
                    {"step":%d,"startedAt":"%s","endedAt":"%s","samples":1}""".formatted(step, start, start.plusSeconds(1)));
        }
        given().baseUri(trainerUrl).auth().oauth2(trainer).contentType("application/json").body(batches.append("]").toString())
                .post("/jobs/" + job + "/batches").then().statusCode(202);
    }

    // ---- the pods

    /** The dev overlay as {@code kubectl kustomize} renders it: what {@code kubectl apply -k overlays/dev} applies. */
    static List<JsonNode> rendered() throws IOException, InterruptedException {
        if (RENDERED.isEmpty()) {
            RENDERED.addAll(documents(Pods.out("kubectl", "kustomize", OVERLAY.toString())));
        }
        return RENDERED;
    }

    static JsonNode workload(String service) throws IOException, InterruptedException {
        for (JsonNode doc : rendered()) {
            if (Set.of("Deployment", "StatefulSet").contains(doc.path("kind").asText()) && doc.at("/metadata/name").asText().equals(service)) {
                return doc;
            }
        }
        throw new AssertionError("no workload " + service + " in the rendered dev overlay");
    }

    /**
     * Starts a service's pod as a container of its image, with what the rendered dev overlay gives it (Pods): its
     * env, with the Secrets' keys given test values, its ConfigMap file and its Secrets' files at their mount paths,
     * its volumes, user, limits and probes. Only the host names of the cluster are mapped to this machine.
     */
    static Pods.Pod pod(String service, String instance, int httpPort, Map<String, Path> files) throws IOException, InterruptedException {
        return pod(service, instance, httpPort, files, "");
    }

    /** As {@link #pod(String, String, int, Map)}, with {@code extraSettings} appended to its ConfigMap's file. */
    static Pods.Pod pod(String service, String instance, int httpPort, Map<String, Path> files, String extraSettings)
            throws IOException, InterruptedException {
        JsonNode workload = workload(service);
        JsonNode podSpec = workload.at("/spec/template/spec");
        JsonNode container = podSpec.at("/containers/0");
        Map<String, String> configMaps = new LinkedHashMap<>();
        for (JsonNode doc : rendered()) {
            if ("ConfigMap".equals(doc.path("kind").asText()) && doc.at("/data/application.properties").isTextual()) {
                configMaps.put(doc.at("/metadata/name").asText(), doc.at("/data/application.properties").asText());
            }
        }
        List<String> claims = new ArrayList<>();
        workload.at("/spec/volumeClaimTemplates").forEach(c -> claims.add(c.at("/metadata/name").asText()));
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container.path("env")) {
            String name = e.path("name").asText();
            JsonNode from = e.path("valueFrom");
            String value;
            if (from.has("secretKeyRef")) {
                value = secretValue(service, from.path("secretKeyRef").path("key").asText());
            } else if (from.has("fieldRef")) {
                value = switch (from.path("fieldRef").path("fieldPath").asText()) {
                    case "metadata.name" -> service + ("StatefulSet".equals(workload.path("kind").asText()) ? "-0" : "-7d4b9c-x2x7q");
                    case "metadata.namespace" -> workload.at("/metadata/namespace").asText();
                    default -> throw new AssertionError(service + ": no test value for " + from);
                };
            } else {
                value = e.path("value").asText();
            }
            env.put(name, value);
        }
        Path volumes = HOME.resolve("pods/" + instance);
        Files.createDirectories(volumes);
        return new Pods.Pod(service, podSpec, volumes, httpPort, env, files, configMaps,
                text -> toThisMachine(text) + extraSettings, claims);
    }

    /** The test's value of a Secret's key that a container reads into its env. */
    static String secretValue(String service, String key) {
        return switch (key) {
            case "user.password", "ca.password" -> STORE_PASSWORD;
            case "trainer-password", "telemetry-password", "carbon-password" -> DB_PASSWORD;
            default -> throw new AssertionError(service + ": no test value for secret key " + key);
        };
    }

    /** The ConfigMaps' application.properties with the cluster's host names mapped to this machine. */
    static String toThisMachine(String text) {
        return text.replace("carbonstream-kafka-bootstrap:9093", "127.0.0.1:" + tlsPort)
                .replace("postgres:5432", "127.0.0.1:" + postgres.port())
                .replace("telemetry-service:8082", "127.0.0.1:" + httpPorts.get("telemetry-service"));
    }

    /** The Secrets' files: each service's Kafka user, the cluster CA's trust store and the token key. */
    static Map<String, Path> secretFiles(String service, Path pki, Path keys) {
        return Map.of(
                "user.p12", pki.resolve(service + ".p12"),
                "ca.p12", pki.resolve("ca-trust.p12"),
                "jwt-public.pem", keys.resolve(Tokens.PUBLIC_KEY));
    }

    /** Waits for the kubelet to start {@code service} again after its {@code before}-th restart, then for it to be ready. */
    static void awaitRestartedAndReady(String service, int before) throws InterruptedException {
        Pods.Pod pod = services.get(service);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (pod.exitRestarts.get() == before) {
            assertTrue(System.nanoTime() < deadline, "the kubelet did not start " + service + " again");
            Thread.sleep(200);
        }
        awaitReady(service);
    }

    static void awaitReady(String service) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        Pods.Pod pod = services.get(service);
        while (!pod.ready.get()) {
            assertTrue(System.nanoTime() < deadline, () -> service + " not ready in 240 s; " + pod.memoryReport() + "; "
                    + kubelets() + "its log: " + tail(pod.logs()));
            Thread.sleep(500);
        }
    }

    static String tail(String log) {
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }

    static String url(String service) {
        return "http://127.0.0.1:" + httpPorts.get(service);
    }

    // ---- Kafka: the topics and ACLs of the manifests

    static List<NewTopic> topics() throws IOException {
        List<NewTopic> topics = new ArrayList<>();
        for (JsonNode t : documents(BASE.resolve("kafka/topics.yaml"))) {
            Map<String, String> config = new LinkedHashMap<>();
            t.at("/spec/config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            config.put("min.insync.replicas", "1");   // one broker, as in the dev overlay
            topics.add(new NewTopic(t.at("/spec/topicName").asText(), t.at("/spec/partitions").asInt(), (short) 1).configs(config));
        }
        return topics;
    }

    /** The ACLs of users.yaml, for the principals Strimzi gives TLS users ({@code User:CN=<name>}). */
    static List<AclBinding> acls() throws IOException {
        List<AclBinding> acls = new ArrayList<>();
        for (JsonNode user : documents(BASE.resolve("kafka/users.yaml"))) {
            String principal = "User:CN=" + user.at("/metadata/name").asText();
            for (JsonNode acl : user.at("/spec/authorization/acls")) {
                JsonNode r = acl.path("resource");
                ResourceType type = switch (r.path("type").asText()) {
                    case "topic" -> ResourceType.TOPIC;
                    case "group" -> ResourceType.GROUP;
                    case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
                    case "cluster" -> ResourceType.CLUSTER;
                    default -> throw new AssertionError("resource type " + r);
                };
                PatternType pattern = "prefix".equals(r.path("patternType").asText()) ? PatternType.PREFIXED : PatternType.LITERAL;
                String name = type == ResourceType.CLUSTER ? "kafka-cluster" : r.path("name").asText();
                for (JsonNode op : acl.path("operations")) {
                    AclOperation operation = AclOperation.valueOf(op.asText().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
                    acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
                            new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
                }
            }
        }
        return acls;
    }

    static KafkaConsumer<String, String> consumer(Path pki, String user, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + tlsPort);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put("security.protocol", "SSL");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", pki.resolve(user + ".p12").toString());
        p.put("ssl.keystore.password", STORE_PASSWORD);
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", pki.resolve("ca-trust.p12").toString());
        p.put("ssl.truststore.password", STORE_PASSWORD);
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    static void pollUntilFailure(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(500));
        }
        throw new AssertionError("no authorization error within 30 s");
    }

    static List<JsonNode> documents(Path yaml) throws IOException {
        return documents(Files.readString(yaml));
    }

    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode d = it.next();
                if (d != null && !d.isNull() && !d.isEmpty()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A certificate authority and identities signed by it, made with the JDK's keytool (PKCS12 stores). */
    static final class Certificates {
        static void authority(Path dir) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            keytool("-genkeypair", "-alias", "ca", "-dname", "CN=carbonstream-test-ca", "-ext", "bc:c", "-keyalg", "RSA",
                    "-keysize", "2048", "-validity", "2", "-keystore", dir.resolve("ca.p12").toString(), "-storetype", "PKCS12",
                    "-storepass", STORE_PASSWORD);
            keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", dir.resolve("ca.p12").toString(),
                    "-storepass", STORE_PASSWORD, "-file", dir.resolve("ca.crt").toString());
            keytool("-importcert", "-noprompt", "-alias", "ca", "-file", dir.resolve("ca.crt").toString(),
                    "-keystore", dir.resolve("ca-trust.p12").toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        }

        /** {@code <name>.p12}: a key and its certificate {@code CN=<name>} signed by the authority, with the chain. */
        static void identity(Path dir, String name, boolean server) throws IOException, InterruptedException {
            String store = dir.resolve(name + ".p12").toString();
            keytool("-genkeypair", "-alias", name, "-dname", "CN=" + name, "-keyalg", "RSA", "-keysize", "2048",
                    "-validity", "2", "-keystore", store, "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
            keytool("-certreq", "-alias", name, "-keystore", store, "-storepass", STORE_PASSWORD,
                    "-file", dir.resolve(name + ".csr").toString());
            List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-validity", "2",
                    "-keystore", dir.resolve("ca.p12").toString(), "-storepass", STORE_PASSWORD,
                    "-infile", dir.resolve(name + ".csr").toString(), "-outfile", dir.resolve(name + ".crt").toString()));
            if (server) {
                sign.addAll(List.of("-ext", "SAN=ip:127.0.0.1,dns:localhost"));
            }
            keytool(sign.toArray(String[]::new));
            keytool("-importcert", "-noprompt", "-alias", "ca", "-file", dir.resolve("ca.crt").toString(),
                    "-keystore", store, "-storepass", STORE_PASSWORD);
            keytool("-importcert", "-alias", name, "-file", dir.resolve(name + ".crt").toString(),
                    "-keystore", store, "-storepass", STORE_PASSWORD);
        }

        static void keytool(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool " + String.join(" ", args) + ": " + out);
        }
    }
}
