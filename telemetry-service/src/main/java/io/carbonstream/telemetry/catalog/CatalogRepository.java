package io.carbonstream.telemetry.catalog;

import io.carbonstream.telemetry.power.HardwareKind;
import io.carbonstream.telemetry.power.HardwareProfile;
import io.carbonstream.telemetry.power.PowerCatalog;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the current hardware profiles from PostgreSQL into the {@link CatalogSnapshot}: at start, then every
 * {@code carbonstream.catalog.refresh-interval}, so that changes made through any instance reach every instance
 * without a restart.
 */
@ApplicationScoped
public class CatalogRepository {

    private static final Logger LOG = Logger.getLogger(CatalogRepository.class);

    static final String CURRENT_PROFILES = """
            SELECT id, version, kind, name, idle_watts, max_watts, curve, sources, tolerance FROM (
                SELECT DISTINCT ON (id) * FROM hardware_profile ORDER BY id, version DESC
            ) latest WHERE NOT retired ORDER BY id""";

    @Inject
    Pool pool;

    @Inject
    CatalogSnapshot snapshot;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "carbonstream.catalog.refresh-interval", defaultValue = "10s")
    Duration refreshInterval;

    void onStart(@Observes StartupEvent event) {
        refresh().await().atMost(Duration.ofSeconds(60));
        vertx.setPeriodic(refreshInterval.toMillis(), id -> refresh().subscribe().with(
                ignored -> { },
                failure -> LOG.warnf("hardware catalog refresh failed, keeping the previous one: %s", failure.getMessage())));
    }

    /** Loads the current profiles and makes them the snapshot. */
    public Uni<PowerCatalog> refresh() {
        return Uni.createFrom().deferred(() -> {
            long ticket = snapshot.begin(); // a slower, older refresh never overwrites this one
            return pool.query(CURRENT_PROFILES).execute().map(rows -> {
                List<HardwareProfile> profiles = new ArrayList<>();
                for (Row row : rows) {
                    profiles.add(toProfile(row));
                }
                PowerCatalog catalog = new PowerCatalog(profiles);
                snapshot.replace(ticket, catalog);
                return catalog;
            });
        });
    }

    static HardwareProfile toProfile(Row row) {
        return new HardwareProfile(row.getString("id"), row.getInteger("version"),
                HardwareKind.valueOf(row.getString("kind")), row.getString("name"),
                row.getBigDecimal("idle_watts"), row.getBigDecimal("max_watts"), Curves.parse(row.getString("curve")),
                row.getString("sources"), row.getBigDecimal("tolerance"));
    }
}
