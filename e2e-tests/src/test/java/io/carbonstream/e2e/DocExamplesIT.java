package io.carbonstream.e2e;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command the README and docs/ show runs here, as written, against the shared stack. Each {@code bash} and
 * {@code python} block of those pages carries a marker on the line above it, invisible when the page is rendered:
 * <ul>
 *   <li>{@code <!-- ci: run; expect: REGEX -->}: the block runs (bash with {@code set -euo pipefail} from the
 *   repository root; python with {@code carbonstream} installed, after a prelude that defines the names the
 *   examples leave to the reader: {@code loader}, {@code model}, {@code loss_fn}, {@code optimizer},
 *   {@code train_step}); it must exit 0 and print something {@code REGEX} finds. Options:
 *   {@code follow: PREFIX} runs the lines that begin with PREFIX (a log that follows forever) for 5 seconds;
 *   {@code skip: PREFIX (reason)} leaves out such lines, saying why; {@code timeout: SECONDS}.</li>
 *   <li>{@code <!-- ci: not run: REASON -->}: the block needs what this machine has not (a cluster, a registry), or
 *   is the command that runs this test; the reason is printed with the results.</li>
 * </ul>
 * The stack's ports replace the documented defaults (8081, 8082, 8083). Runs last: the README's own commands end
 * with {@code down} and {@code up --fresh}.
 */
@Order(11)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DocExamplesIT {

    static final Pattern MARKER = Pattern.compile("^<!-- ci: (.*) -->$");
    static final Pattern OPTION = Pattern.compile(";\\s+(?=(?:expect|follow|skip|timeout):)");
    static final Pattern DEFAULT_PORT = Pattern.compile("(localhost|127\\.0\\.0\\.1):(8081|8082|8083)\\b");
    /** Batches the python prelude's loader yields; a tracked example's footprint must count exactly these. */
    static final int PRELUDE_BATCHES = 5;
    static final String PRELUDE = """
            import torch
            torch.manual_seed(0)
            model = torch.nn.Linear(16, 4)
            loss_fn = torch.nn.CrossEntropyLoss()
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
            loader = [(torch.randn(8, 16), torch.randint(0, 4, (8,))) for _ in range(%d)]
            def train_step(x, y):
                optimizer.zero_grad()
                loss = loss_fn(model(x), y)
                loss.backward()
                optimizer.step()
            """.formatted(PRELUDE_BATCHES);

    record Block(Path file, int line, String lang, String marker, String code) {
        String where() {
            return file + ":" + line;
        }
    }

    record Marker(boolean run, String reason, Pattern expect, List<String> follow, Map<String, String> skip, int timeout) {
        static Marker parse(String text) {
            if (text.startsWith("not run:")) {
                String reason = text.substring("not run:".length()).trim();
                if (reason.isEmpty()) {
                    throw new IllegalArgumentException("'not run' needs a reason");
                }
                return new Marker(false, reason, null, List.of(), Map.of(), 0);
            }
            String[] parts = OPTION.split(text);
            if (!parts[0].equals("run")) {
                throw new IllegalArgumentException("a marker is 'run; ...' or 'not run: REASON', not '" + text + "'");
            }
            Pattern expect = null;
            List<String> follow = new ArrayList<>();
            Map<String, String> skip = new HashMap<>();
            int timeout = 180;
            for (int i = 1; i < parts.length; i++) {
                String key = parts[i].substring(0, parts[i].indexOf(':'));
                String value = parts[i].substring(key.length() + 1).trim();
                switch (key) {
                    case "expect" -> expect = Pattern.compile(value, Pattern.MULTILINE);
                    case "follow" -> follow.add(value);
                    case "skip" -> {
                        Matcher m = Pattern.compile("(.+?) \\((.+)\\)").matcher(value);
                        if (!m.matches()) {
                            throw new IllegalArgumentException("'skip: PREFIX (reason)', not '" + value + "'");
                        }
                        skip.put(m.group(1), m.group(2));
                    }
                    default -> timeout = Integer.parseInt(value);
                }
            }
            if (expect == null) {
                throw new IllegalArgumentException("a block that runs says what it prints: 'expect: REGEX'");
            }
            return new Marker(true, null, expect, follow, skip, timeout);
        }
    }

    static List<Path> pages(Path root) throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("clients/python/README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        // last: its commands end with down and up --fresh
        pages.add(root.resolve("README.md"));
        return pages;
    }

    static List<Block> blocks(Path root) throws IOException {
        List<Block> blocks = new ArrayList<>();
        for (Path page : pages(root)) {
            List<String> lines = Files.readAllLines(page);
            String previous = "";
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("```") && line.length() > 3) {
                    String lang = line.substring(3).trim();
                    int start = i;
                    StringBuilder code = new StringBuilder();
                    for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                        code.append(lines.get(i)).append('\n');
                    }
                    if (lang.equals("bash") || lang.equals("sh") || lang.equals("python")) {
                        Matcher m = MARKER.matcher(previous.trim());
                        blocks.add(new Block(root.relativize(page), start + 1, lang, m.matches() ? m.group(1) : null,
                                code.toString()));
                    }
                    previous = "";
                } else if (line.startsWith("```")) {
                    // a block without a language: output or a diagram; skip to its end
                    for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                        // nothing
                    }
                    previous = "";
                } else if (!line.isBlank()) {
                    previous = line;
                }
            }
        }
        return blocks;
    }

    @Test
    @Order(1)
    void everyCommandBlockOfTheDocsSaysWhetherItRunsHere() throws IOException {
        LocalStack stack = LocalStack.shared();
        List<String> problems = new ArrayList<>();
        List<Block> blocks = blocks(stack.root);
        for (Block b : blocks) {
            if (b.marker() == null) {
                problems.add(b.where() + ": no <!-- ci: ... --> marker on the line above the block");
                continue;
            }
            try {
                Marker.parse(b.marker());
            } catch (RuntimeException e) {
                problems.add(b.where() + ": " + e.getMessage());
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(blocks.stream().filter(b -> Marker.parse(b.marker()).run()).count() >= 8,
                "most of the pages' commands run here: " + blocks);
    }

    @Test
    @Order(2)
    void theDocsCommandsRunAsWrittenAndPrintWhatThePagesSay() throws Exception {
        LocalStack stack = LocalStack.shared();
        Path work = stack.root.resolve("e2e-tests/target/doc-examples");
        Files.createDirectories(work);
        Path venv = work.resolve("venv");
        if (!Files.exists(venv.resolve("bin/python"))) {
            exec(List.of("python3", "-m", "venv", "--system-site-packages", venv.toString()), stack, venv,
                    work.resolve("venv.out"), 120);
        }
        // a job from before the README's 'up --fresh'
        String before = given().baseUri(stack.trainer()).contentType("application/json")
                .body("{\"tenant\":\"docs\",\"name\":\"before up --fresh\",\"acceleratorType\":\"nvidia-t4\",\"datacenter\":\"on-prem-de\"}")
                .when().post("/jobs").then().statusCode(201).extract().path("id");
        List<String> failures = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (Block b : blocks(stack.root)) {
            Marker marker = Marker.parse(b.marker());
            if (!marker.run()) {
                report.append("not run  ").append(b.where()).append(": ").append(marker.reason()).append('\n');
                continue;
            }
            String name = b.file().toString().replaceAll("[^A-Za-z0-9]+", "-") + "-" + b.line();
            Path out = work.resolve(name + ".out");
            String code = DEFAULT_PORT.matcher(b.code()).replaceAll(m -> m.group(1) + ":" + switch (m.group(2)) {
                case "8081" -> stack.trainerPort;
                case "8082" -> stack.telemetryPort;
                default -> stack.carbonPort;
            });
            List<String> command;
            if (b.lang().equals("python")) {
                Path script = work.resolve(name + ".py");
                Files.writeString(script, PRELUDE + "\n" + code
                        + (code.contains(" as run:") ? "\nprint('carbonstream job', run.job_id)\n" : ""));
                command = List.of(venv.resolve("bin/python").toString(), script.toString());
            } else {
                StringBuilder script = new StringBuilder("set -euo pipefail\n");
                for (String line : code.split("\n", -1)) {
                    String trimmed = line.strip();
                    String skipped = marker.skip().keySet().stream().filter(trimmed::startsWith).findFirst().orElse(null);
                    if (skipped != null) {
                        report.append("skipped  ").append(b.where()).append(": ").append(trimmed).append(" (")
                                .append(marker.skip().get(skipped)).append(")\n");
                        script.append(": skipped\n");
                    } else if (marker.follow().stream().anyMatch(trimmed::startsWith)) {
                        // the line may end in a comment: its exit status is taken on the lines after it
                        script.append("set +e\ntimeout 5 ").append(trimmed).append("\nrc=$?\nset -e\n")
                                .append("[ $rc -eq 0 ] || [ $rc -eq 124 ]\n");
                    } else {
                        script.append(line).append('\n');
                    }
                }
                Path file = work.resolve(name + ".sh");
                Files.writeString(file, script);
                command = List.of("bash", file.toString());
            }
            settle(stack);
            long started = System.nanoTime();
            int rc = exec(command, stack, venv, out, marker.timeout());
            String printed = Files.readString(out);
            String errors = Files.readString(errorsOf(out));
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            String verdict;
            if (rc != 0) {
                verdict = "exit " + rc;
            } else if (!marker.expect().matcher(printed).find() && !marker.expect().matcher(errors).find()) {
                verdict = "printed nothing that /" + marker.expect() + "/ finds";
            } else {
                verdict = "ok";
                Matcher job = Pattern.compile("^carbonstream job (\\S+)$", Pattern.MULTILINE).matcher(printed);
                if (b.lang().equals("python") && job.find()) {
                    long batches = Await.footprint(job.group(1), PRELUDE_BATCHES).batches();
                    if (batches != PRELUDE_BATCHES) {
                        verdict = "its footprint counts " + batches + " batches, not " + PRELUDE_BATCHES;
                    }
                }
            }
            report.append(verdict.equals("ok") ? "ran      " : "FAILED   ").append(b.where()).append(" (")
                    .append(seconds).append(" s): ").append(verdict).append('\n');
            if (!verdict.equals("ok")) {
                failures.add(b.where() + ": " + verdict + "; it printed (" + out + "):\n" + tail(printed)
                        + "\non stderr (" + errorsOf(out) + "):\n" + tail(errors));
            }
        }
        System.out.print(report);
        assertTrue(failures.isEmpty(), String.join("\n\n", failures));
        // the README's last stack commands were down and up --fresh: the stack answers, and holds nothing from before
        given().baseUri(stack.carbon()).when().get("/q/health/ready").then().statusCode(200);
        assertEquals(404, given().baseUri(stack.trainer()).when().get("/jobs/" + before).statusCode());
    }

    /**
     * Waits until the stack has settled after the previous block (a stopped instance's partitions taken over, a
     * killed one started again), as it has when a user types the next page's commands: every service ready, and
     * carbon-service answering a query that gathers from every instance.
     */
    static void settle(LocalStack stack) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (given().baseUri(stack.trainer()).get("/q/health/ready").statusCode() == 200
                        && given().baseUri(stack.telemetry()).get("/q/health/ready").statusCode() == 200
                        && given().baseUri(stack.carbon()).get("/rollups").statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not answering yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the stack did not settle within 2 minutes: " + stack.status());
    }

    static String tail(String text) {
        String[] lines = text.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
    }

    static Path errorsOf(Path out) {
        return out.resolveSibling(out.getFileName() + ".err");
    }

    static int exec(List<String> command, LocalStack stack, Path venv, Path out, int timeoutSeconds)
            throws IOException, InterruptedException {
        // stdout and stderr apart: a reader's terminal shows each whole, and a progress meter on stderr
        // (curl's, when stdout is not a terminal) must not split a line of the answer the page promises
        ProcessBuilder pb = new ProcessBuilder(command).directory(stack.root.toFile())
                .redirectOutput(out.toFile()).redirectError(errorsOf(out).toFile());
        Map<String, String> env = pb.environment();
        env.putAll(stack.environment());
        // the pages' pip and python are the virtual environment's; pip installs from the clone, offline
        env.put("PATH", venv.resolve("bin") + ":" + env.get("PATH"));
        env.put("VIRTUAL_ENV", venv.toString());
        env.put("PIP_NO_INDEX", "1");
        env.put("PIP_NO_BUILD_ISOLATION", "0");
        env.put("CARBONSTREAM_URL", stack.trainer());
        env.put("CARBONSTREAM_TOKEN", stack.token("docs", "trainer", "viewer"));
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return 124;
        }
        return p.exitValue();
    }
}
