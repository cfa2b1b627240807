package io.carbonstream.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a server wrote to its log since a start began: the reason it gives when it cannot start. {@link #mark}
 * before the start, {@link #since} after it failed.
 */
final class LogTail {

    private LogTail() {
    }

    /** Where the log ends now (0 when there is none yet). */
    static long mark(Path log) {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last {@code n} non-blank lines that {@code wanted} takes of those written to {@code log} after {@code mark}. */
    static List<String> since(Path log, long mark, int n, Predicate<String> wanted) {
        try {
            if (!Files.exists(log)) {
                return List.of();
            }
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(mark, all.length);
            List<String> lines = new String(all, from, all.length - from, StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty()).filter(wanted).toList();
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException e) {
            return List.of("(could not read " + log + ": " + e.getMessage() + ")");
        }
    }

    /** The lines joined with " | ", or "(nothing written)". */
    static String describe(List<String> lines) {
        return lines.isEmpty() ? "(nothing written)" : String.join(" | ", lines);
    }
}
