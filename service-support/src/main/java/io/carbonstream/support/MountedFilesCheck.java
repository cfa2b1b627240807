package io.carbonstream.support;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Stops the service at start, with one log line naming the setting and the file, when a file its settings name is
 * not there: a key store, a trust store, the token key. On Kubernetes those are Secrets mounted as files, and a
 * Secret that is missing or lacks the key leaves the mount empty; without this check the Kafka clients would retry
 * to connect for ever, or every request would be refused, and the pod would hang half-started.
 */
@ApplicationScoped
public class MountedFilesCheck {

    private static final Logger LOG = Logger.getLogger(MountedFilesCheck.class);
    static final int EXIT_CODE = 78;   // EX_CONFIG of sysexits.h: a configuration error

    void onStart(@Observes @Priority(0) StartupEvent start, Config config) {
        if (LaunchMode.current() == LaunchMode.TEST) {
            return;   // the tests' key files are made by their own resources, some after the start
        }
        List<String> missing = missing(config);
        if (!missing.isEmpty()) {
            LOG.errorf("cannot start: %s (a Secret not mounted, or without that key? docs/kubernetes.md)", String.join("; ", missing));
            // at once: an orderly exit would let the Kafka clients and later start-up steps log their own failures
            // about the same file first; nothing has been served or written yet
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }

    /** Each file setting (a name ending in {@code .location}) whose value is a local path that cannot be read. */
    static List<String> missing(Config config) {
        List<String> missing = new ArrayList<>();
        for (String name : new TreeSet<>(names(config))) {
            if (!name.endsWith(".location") || name.startsWith("%")) {
                continue;   // another profile's setting is not this run's
            }
            Optional<String> value = config.getOptionalValue(name, String.class);
            if (value.isEmpty() || value.get().contains(":") && !value.get().startsWith("file:")) {
                continue;   // unset, or a URL (a JWKS endpoint, a class path resource)
            }
            Path file = value.get().startsWith("file:") ? Path.of(URI.create(value.get())) : Path.of(value.get());
            if (!Files.exists(file)) {
                missing.add(name + " names " + file + ", which does not exist");
            } else if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                missing.add(name + " names " + file + ", which is not a readable file");
            }
        }
        return missing;
    }

    private static List<String> names(Config config) {
        List<String> names = new ArrayList<>();
        config.getPropertyNames().forEach(names::add);
        return names;
    }
}
