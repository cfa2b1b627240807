package io.carbonstream.local;

import io.carbonstream.events.Topics;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The infrastructure process of the local stack ({@code deploy/local/carbonstream up}): starts Kafka and
 * PostgreSQL, prints one {@code READY} line, and keeps them running until it receives SIGTERM, when it stops
 * both cleanly. Data is kept between runs unless {@code --fresh} is given.
 *
 * <pre>
 * LocalInfra --data-dir .local/data --log-dir .local/logs --kafka-port 9092 --kafka-controller-port 9093
 *            --postgres-port 5432 --partitions 6 [--fresh]
 * </pre>
 */
public final class LocalInfra {

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> opts = options(args);
        Path dataDir = Path.of(opts.getOrDefault("data-dir", ".local/data"));
        Path logDir = Path.of(opts.getOrDefault("log-dir", ".local/logs"));
        Infrastructure infra = Infrastructure.start(dataDir, logDir,
                Integer.parseInt(opts.getOrDefault("kafka-port", "9092")),
                Integer.parseInt(opts.getOrDefault("kafka-controller-port", "9093")),
                Integer.parseInt(opts.getOrDefault("postgres-port", "5432")),
                opts.containsKey("fresh"), Topics.ALL,
                Integer.parseInt(opts.getOrDefault("partitions", "6")),
                opts.getOrDefault("kafka-heap", "768m"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping Kafka and PostgreSQL");
            infra.close();
            stopped.countDown();
        }, "local-infra-stop"));
        System.out.println("READY kafka=" + infra.kafka().bootstrapServers() + " kafka-pid=" + infra.kafka().pid()
                + " postgres=127.0.0.1:" + infra.postgres().port());
        System.out.flush();
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
