package io.carbonstream.support;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MountedFilesCheckTest {

    static Config config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 500)).build();
    }

    @Test
    void namesEachFileSettingWhoseFileIsNotThere(@TempDir Path dir) throws Exception {
        Path store = Files.writeString(dir.resolve("ca.p12"), "x");
        Path key = Files.writeString(dir.resolve("jwt-public.pem"), "x");
        Files.createDirectories(dir.resolve("a-directory"));
        List<String> missing = MountedFilesCheck.missing(config(Map.of(
                "kafka.ssl.truststore.location", store.toString(),
                "kafka.ssl.keystore.location", dir.resolve("user.p12").toString(),
                "kafka-streams.ssl.keystore.location", dir.resolve("a-directory").toString(),
                "mp.jwt.verify.publickey.location", key.toUri().toString(),
                "kafka.ssl.keystore.password", "not a location",
                "%test.mp.jwt.verify.publickey.location", "target/another-profiles-key.pem")));
        assertEquals(List.of(
                "kafka-streams.ssl.keystore.location names " + dir.resolve("a-directory") + ", which is not a readable file",
                "kafka.ssl.keystore.location names " + dir.resolve("user.p12") + ", which does not exist"), missing);
    }

    @Test
    void aUrlOrAFileUriThatIsThereIsNotMissing(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("jwt-public.pem"), "x");
        assertEquals(List.of(), MountedFilesCheck.missing(config(Map.of(
                "mp.jwt.verify.publickey.location", "https://issuer.example/.well-known/jwks.json",
                "kafka.ssl.truststore.location", key.toUri().toString()))));
        assertEquals(List.of("mp.jwt.verify.publickey.location names " + dir.resolve("gone.pem") + ", which does not exist"),
                MountedFilesCheck.missing(config(Map.of("mp.jwt.verify.publickey.location", dir.resolve("gone.pem").toUri().toString()))));
    }
}
