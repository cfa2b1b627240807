package io.carbonstream.carbon.grid;

import io.carbonstream.support.Snapshot;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads data centres and their PUE from PostgreSQL into the snapshot the stream processor applies: at start (after
 * seeding an empty database from the bundled cited table), after every change made through the API, and every
 * 10 s for changes made through other instances. Readers wait for the first load.
 */
@ApplicationScoped
public class DatacenterRepository {

    private static final Logger LOG = Logger.getLogger(DatacenterRepository.class);

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    StaticTables tables;

    private final Snapshot<DatacenterCatalog> current = new Snapshot<>("data centres");

    void onStart(@Observes @Priority(1) StartupEvent event) {
        seedIfEmpty().chain(this::refresh).await().atMost(Duration.ofSeconds(60));
        vertx.setPeriodic(10_000, id -> refresh().subscribe().with(c -> { },
                failure -> LOG.warnf("data centre refresh failed, keeping the previous snapshot: %s", failure.getMessage())));
    }

    /** The applied snapshot, waiting up to {@code timeout} for the first load. */
    public DatacenterCatalog await(Duration timeout) {
        return current.await(timeout);
    }

    public Uni<DatacenterCatalog> refresh() {
        return Uni.createFrom().deferred(() -> load(current.begin()));
    }

    /** Reads the data centres and applies them, unless a refresh that started later was applied first. */
    private Uni<DatacenterCatalog> load(long ticket) {
        return pool.query("SELECT id, zone, name, source FROM datacenter WHERE NOT retired").execute().flatMap(dcRows -> {
            List<DatacenterCatalog.Site> dcs = new ArrayList<>();
            for (Row r : dcRows) {
                dcs.add(new DatacenterCatalog.Site(r.getString("id"), r.getString("zone"), r.getString("name"), r.getString("source")));
            }
            return pool.query("SELECT datacenter_id, valid_from, pue, source FROM datacenter_pue").execute().map(pueRows -> {
                List<DatacenterCatalog.Pue> pues = new ArrayList<>();
                for (Row r : pueRows) {
                    pues.add(new DatacenterCatalog.Pue(r.getString("datacenter_id"),
                            r.getOffsetDateTime("valid_from").toInstant(), r.getBigDecimal("pue"), r.getString("source")));
                }
                DatacenterCatalog catalog = new DatacenterCatalog(dcs, pues);
                current.replace(ticket, catalog);
                return catalog;
            });
        });
    }

    private Uni<Void> seedIfEmpty() {
        return pool.withTransaction(tx -> tx.query("SELECT count(*) FROM datacenter").execute().flatMap(rows -> {
            if (rows.iterator().next().getLong(0) > 0) {
                return Uni.createFrom().voidItem();
            }
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Datacenter d : tables.datacenters()) {
                chain = chain.chain(() -> insert(tx, d));
            }
            return chain.invoke(() -> LOG.infof("seeded %d data centres from the bundled table", tables.datacenters().size()));
        }));
    }

    private static Uni<Void> insert(SqlClient tx, Datacenter d) {
        return tx.preparedQuery("INSERT INTO datacenter (id, zone, source) VALUES ($1, $2, $3)")
                .execute(Tuple.of(d.id(), d.zone(), d.source()))
                .chain(() -> tx.preparedQuery("INSERT INTO datacenter_pue (datacenter_id, valid_from, pue, source) VALUES ($1, $2, $3, $4)")
                        .execute(Tuple.of(d.id(), java.time.Instant.EPOCH.atOffset(ZoneOffset.UTC), d.pue(), d.source())))
                .replaceWithVoid();
    }
}
