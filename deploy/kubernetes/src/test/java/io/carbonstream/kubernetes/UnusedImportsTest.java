package io.carbonstream.kubernetes;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No Java file of the project imports a type it does not name (javac does not warn of one): an unused import of
 * Kafka Streams' query types once suggested that a REST class read a store it no longer reads.
 */
class UnusedImportsTest {

    static final Pattern IMPORT = Pattern.compile("^import (static )?[\\w.]+\\.(\\w+);$", Pattern.MULTILINE);

    @Test
    void everyImportIsUsed() throws IOException {
        List<String> unused = new ArrayList<>();
        int files = 0;
        try (Stream<Path> tree = Files.walk(Manifests.ROOT)) {
            for (Path java : tree.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !Manifests.ROOT.relativize(p).toString().contains("target/"))
                    .filter(p -> !Manifests.ROOT.relativize(p).startsWith("clients")).toList()) {
                files++;
                unused.addAll(unusedImports(java));
            }
        }
        assertTrue(files > 100, "Java files found under " + Manifests.ROOT + ": " + files);
        assertEquals(List.of(), unused);
    }

    @Test
    void anImportNamedNowhereElseIsFound(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path java = dir.resolve("A.java");
        Files.writeString(java, """
                package a;

                import java.util.List;
                import java.util.Map;
                import static java.util.Objects.requireNonNull;

                /** {@link Map} in a comment counts as a use. */
                class A { List<String> names; }
                """);
        assertEquals(List.of(java + ": import static java.util.Objects.requireNonNull;"), unusedImports(java));
    }

    static List<String> unusedImports(Path java) {
        try {
            String text = Files.readString(java);
            String body = IMPORT.matcher(text).replaceAll("");
            List<String> unused = new ArrayList<>();
            Matcher m = IMPORT.matcher(text);
            while (m.find()) {
                if (!Pattern.compile("\\b" + m.group(2) + "\\b").matcher(body).find()) {
                    unused.add(java + ": " + m.group());
                }
            }
            return unused;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
