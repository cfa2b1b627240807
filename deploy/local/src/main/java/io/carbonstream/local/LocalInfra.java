package io.carbonstream.local;

import io.carbonstream.events.Topics;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An infrastructure process of the local stack ({@code deploy/local/carbonstream up}): Kafka or PostgreSQL, one
 * per process, so that each can be killed and started alone. It prints one {@code READY} line and keeps its server
 * running until it receives SIGTERM, when it stops it cleanly. Data is kept between runs unless {@code --fresh} is
 * given. When the Kafka broker dies (killed, crashed), this process exits with status 3, so that the launcher sees
 * the broker is gone and {@code up} or {@code start kafka} starts it again on the same data.
 *
 * <pre>
 * LocalInfra --only kafka --data-dir .local/data --log-dir .local/logs --kafka-port 9092 --kafka-controller-port 9093
 *            --partitions 6 [--fresh]
 * LocalInfra --only postgres --data-dir .local/data --postgres-port 5432 [--fresh]
 * </pre>
 */
public final class LocalInfra {

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> opts = options(args);
        Path dataDir = Path.of(opts.getOrDefault("data-dir", ".local/data"));
        Path logDir = Path.of(opts.getOrDefault("log-dir", ".local/logs"));
        String only = opts.getOrDefault("only", "");
        boolean fresh = opts.containsKey("fresh");
        AutoCloseable server;
        String ready;
        KafkaBroker broker = null;
        try {
            if (only.equals("kafka")) {
                broker = Infrastructure.startKafka(dataDir, logDir, Integer.parseInt(opts.getOrDefault("kafka-port", "9092")),
                        Integer.parseInt(opts.getOrDefault("kafka-controller-port", "9093")), fresh, Topics.ALL,
                        Integer.parseInt(opts.getOrDefault("partitions", "6")), opts.getOrDefault("kafka-heap", "768m"));
                server = broker;
                ready = "READY kafka=" + broker.bootstrapServers() + " kafka-pid=" + broker.pid();
            } else if (only.equals("postgres")) {
                PostgresServer postgres = Infrastructure.startPostgres(dataDir, logDir,
                        Integer.parseInt(opts.getOrDefault("postgres-port", "5432")), fresh);
                server = postgres;
                ready = "READY postgres=127.0.0.1:" + postgres.port();
            } else {
                throw new IllegalArgumentException("--only takes kafka or postgres");
            }
        } catch (RuntimeException e) {
            // one line the launcher shows as it is: what failed and why; the trace follows for the log
            System.out.println("FAILED " + only + ": " + e.getMessage());
            e.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            System.out.println("stopping " + only);
            try {
                server.close();
            } catch (Exception e) {
                System.out.println("could not stop " + only + " cleanly: " + e);
            }
            stopped.countDown();
        }, "local-infra-stop"));
        System.out.println(ready);
        System.out.flush();
        if (broker != null) {
            KafkaBroker watched = broker;
            Thread watch = new Thread(() -> {
                watched.awaitExit();
                if (!stopping.get()) {
                    System.out.println("kafka broker exited unexpectedly; exiting so that the launcher can start it again");
                    System.out.flush();
                    Runtime.getRuntime().halt(3);
                }
            }, "kafka-watch");
            watch.setDaemon(true);
            watch.start();
        }
        stopped.await();
    }

    /** {@code --name value} pairs; {@code --fresh} stands alone. */
    public static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            if (key.equals("fresh")) {
                opts.put(key, "true");
            } else if (i + 1 < args.length) {
                opts.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
        }
        return opts;
    }

    private LocalInfra() {
    }
}
