package io.carbonstream.telemetry;

import io.carbonstream.local.PostgresServer;
import io.carbonstream.testing.TestInfrastructure;

import java.sql.DriverManager;

/** Test hardware profiles with round figures, written straight into the real telemetry database. */
public final class TestCatalog {

    /** idle 50 W, max 400 W */
    public static final String GPU = "test-gpu-50-400";

    private TestCatalog() {
    }

    public static void install() throws Exception {
        sql("""
                INSERT INTO hardware_profile (id, version, kind, name, idle_watts, max_watts, sources)
                VALUES ('%s', 1, 'ACCELERATOR', 'Test GPU 50-400 W', 50, 400, 'round test figures')
                ON CONFLICT DO NOTHING""".formatted(GPU));
    }

    /** An accelerator whose power nobody publishes, as the seed holds TPU v5e: no idle or max watts. */
    public static void installWithoutPower(String id) throws Exception {
        sql("""
                INSERT INTO hardware_profile (id, version, kind, name, idle_watts, max_watts, sources)
                VALUES ('%s', 1, 'ACCELERATOR', 'Test NPU, power not published', NULL, NULL, 'test: no published power')
                """.formatted(id));
    }

    private static void sql(String statement) throws Exception {
        try (var c = DriverManager.getConnection(TestInfrastructure.shared().postgres().jdbcUrl("telemetry"), PostgresServer.USER, "");
             var s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
