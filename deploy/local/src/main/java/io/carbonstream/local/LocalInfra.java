package io.carbonstream.local;

import io.carbonstream.events.Topics;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An infrastructure process of the local stack ({@code deploy/local/carbonstream up}): starts Kafka, PostgreSQL or
 * both, prints one {@code READY} line, and keeps them running until it receives SIGTERM, when it stops them
 * cleanly. Data is kept between runs unless {@code --fresh} is given. The launcher runs Kafka and PostgreSQL as two
 * such processes ({@code --only kafka}, {@code --only postgres}), so that each can be killed and started alone.
 * When the Kafka broker dies (killed, crashed), this process exits with status 3, so that the launcher sees the
 * broker is gone and {@code up} or {@code start kafka} starts it again on the same data.
 *
 * <pre>
 * LocalInfra --data-dir .local/data --log-dir .local/logs --kafka-port 9092 --kafka-controller-port 9093
 *            --postgres-port 5432 --partitions 6 [--only kafka|postgres] [--fresh]
 * </pre>
 */
public final class LocalInfra {

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> opts = options(args);
        Path dataDir = Path.of(opts.getOrDefault("data-dir", ".local/data"));
        Path logDir = Path.of(opts.getOrDefault("log-dir", ".local/logs"));
        String only = opts.getOrDefault("only", "all");
        boolean fresh = opts.containsKey("fresh");
        boolean withKafka = !only.equals("postgres");
        boolean withPostgres = !only.equals("kafka");
        if (!withKafka && !withPostgres || !(only.equals("all") || only.equals("kafka") || only.equals("postgres"))) {
            throw new IllegalArgumentException("--only takes kafka or postgres");
        }
        KafkaBroker kafka = null;
        PostgresServer postgres = null;
        if (withKafka) {
            if (fresh) {
                Infrastructure.deleteRecursively(dataDir.resolve("kafka"));
            }
            kafka = new KafkaBroker(dataDir.resolve("kafka"), Integer.parseInt(opts.getOrDefault("kafka-port", "9092")),
                    Integer.parseInt(opts.getOrDefault("kafka-controller-port", "9093")), logDir.resolve("kafka.log"),
                    opts.getOrDefault("kafka-heap", "768m"));
            kafka.start(Duration.ofSeconds(90));
            kafka.createTopics(Topics.ALL, Integer.parseInt(opts.getOrDefault("partitions", "6")));
        }
        if (withPostgres) {
            postgres = PostgresServer.start(dataDir.resolve("postgres"),
                    Integer.parseInt(opts.getOrDefault("postgres-port", "5432")), fresh);
            Infrastructure.DATABASES.forEach(postgres::createDatabase);
        }
        KafkaBroker broker = kafka;
        PostgresServer db = postgres;
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            System.out.println("stopping " + only);
            if (broker != null) {
                broker.close();
            }
            if (db != null) {
                db.close();
            }
            stopped.countDown();
        }, "local-infra-stop"));
        StringBuilder ready = new StringBuilder("READY");
        if (broker != null) {
            ready.append(" kafka=").append(broker.bootstrapServers()).append(" kafka-pid=").append(broker.pid());
        }
        if (db != null) {
            ready.append(" postgres=127.0.0.1:").append(db.port());
        }
        System.out.println(ready);
        System.out.flush();
        if (broker != null && db == null) {
            Thread watch = new Thread(() -> {
                broker.awaitExit();
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
    static Map<String, String> options(String[] args) {
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
