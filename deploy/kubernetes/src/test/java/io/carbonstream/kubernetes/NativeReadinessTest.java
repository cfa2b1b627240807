package io.carbonstream.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native readiness without GraalVM. Each module's {@code NativeReflection} registers exactly its records and enums
 * that are not private (the event contract's in service-support), and the native build steps that every
 * {@code ./mvnw package} runs for each service (execution native-check, into target/native-check) carry them into
 * the native image's reflection configuration, with the resources the services read from the classpath.
 */
class NativeReadinessTest {

    static final Pattern DECLARATION = Pattern.compile(
            "^([ \\t]*)((?:public|protected|private|static|final|sealed|abstract)\\s+)*(record|enum)\\s+([A-Z]\\w*)", Pattern.MULTILINE);

    @ParameterizedTest
    @CsvSource({
            "service-support,   io.carbonstream.support,   events service-support",
            "streams-support,   io.carbonstream.streams,   streams-support",
            "trainer-service,   io.carbonstream.trainer,   trainer-service",
            "telemetry-service, io.carbonstream.telemetry, telemetry-service",
            "carbon-service,    io.carbonstream.carbon,    carbon-service"})
    void everyRecordAndEnumIsRegisteredForReflection(String module, String pkg, String scanned) {
        Set<String> expected = new TreeSet<>();
        for (String m : scanned.split(" ")) {
            expected.addAll(recordsAndEnums(m));
        }
        assertEquals(expected, registered(module, pkg), module + ": NativeReflection against the records and enums of " + scanned);
    }

    @ParameterizedTest
    @CsvSource({"trainer-service", "telemetry-service", "carbon-service"})
    void theNativeBuildStepsCarryTheRegistrationsAndResources(String service) throws IOException {
        Path sources = Manifests.ROOT.resolve(service + "/target/native-check/native-sources");
        Assumptions.assumeTrue(Files.isDirectory(sources), "the native build steps run in " + service + "'s package phase");
        Path runner;
        try (Stream<Path> files = Files.list(sources)) {
            runner = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst().orElseThrow();
        }
        Set<String> reflected = new TreeSet<>();
        List<Pattern> resources = new ArrayList<>();
        try (JarFile jar = new JarFile(runner.toFile())) {
            JsonNode reflect = Manifests.YAML.readTree(jar.getInputStream(jar.getEntry("META-INF/native-image/reflect-config.json")));
            reflect.forEach(entry -> reflected.add(entry.path("name").asText()));
            JsonNode config = Manifests.YAML.readTree(jar.getInputStream(jar.getEntry("META-INF/native-image/resource-config.json")));
            config.path("resources").path("includes").forEach(i -> resources.add(Pattern.compile(i.path("pattern").asText())));
        }
        List<String> missing = new ArrayList<>();
        String pkg = "io.carbonstream." + service.substring(0, service.indexOf('-'));
        Stream.of(registered(service, pkg), registered("service-support", "io.carbonstream.support")).flatMap(Set::stream)
                .filter(name -> !reflected.contains(name)).forEach(missing::add);
        if (!service.equals("trainer-service")) {
            registered("streams-support", "io.carbonstream.streams").stream().filter(n -> !reflected.contains(n)).forEach(missing::add);
        }
        assertEquals(List.of(), missing, service + ": registered but not in the native image's reflect-config.json");
        // every resource the service reads from its classpath (besides what Quarkus takes care of) is included
        Path own = Manifests.ROOT.resolve(service + "/src/main/resources");
        try (Stream<Path> files = Files.walk(own)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = own.relativize(f).toString().replace('\\', '/');
                if (rel.equals("application.properties") || rel.startsWith("db/migration/") || rel.startsWith("META-INF/")) {
                    continue;
                }
                assertTrue(resources.stream().anyMatch(r -> r.matcher(rel).matches()), service + ": " + rel + " is not in the native image's resource-config.json"
                        + " (quarkus.native.resources.includes)");
            }
        }
    }

    /** Binary names of the records and enums a module declares, private ones aside. */
    static Set<String> recordsAndEnums(String module) {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Manifests.ROOT.resolve(module + "/src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                Matcher pkg = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE).matcher(src);
                assertTrue(pkg.find(), f.toString());
                String stem = f.getFileName().toString().replace(".java", "");
                Matcher m = DECLARATION.matcher(src);
                while (m.find()) {
                    if (m.group(0).contains("private")) {
                        continue;
                    }
                    boolean topLevel = m.group(4).equals(stem) && m.group(1).isEmpty();
                    assertTrue(topLevel || m.group(1).length() == 4, f + ": " + m.group(4) + " nested more than one level");
                    names.add(pkg.group(1) + "." + (topLevel ? stem : stem + "$" + m.group(4)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** The names a module's NativeReflection registers. */
    static Set<String> registered(String module, String pkg) {
        String src = ManifestsMatchCodeTest.read(Manifests.ROOT.resolve(module + "/src/main/java/" + pkg.replace('.', '/')
                + "/NativeReflection.java"));
        Matcher m = Pattern.compile("\"([\\w.$]+)\"").matcher(src.substring(src.indexOf("classNames")));
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        assertEquals(names.size(), Set.copyOf(names).size(), module + ": a name registered twice");
        return names.stream().collect(Collectors.toCollection(TreeSet::new));
    }
}
