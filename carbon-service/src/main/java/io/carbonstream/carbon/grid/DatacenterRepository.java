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
            return pool.query("SELECT datacenter_id, valid_from, pue, source, pue_low, pue_high FROM datacenter_pue").execute()
                    .flatMap(pueRows -> pool.query("SELECT id, datacenter_id, kind, valid_from, valid_to, share, g_co2e_per_kwh, "
                            + "source FROM contractual_instrument").execute()
                    .flatMap(instrumentRows -> pool.query("SELECT zone, valid_from, g_co2e_per_kwh, source FROM residual_mix")
                            .execute().map(mixRows -> {
                List<DatacenterCatalog.Pue> pues = new ArrayList<>();
                for (Row r : pueRows) {
                    pues.add(new DatacenterCatalog.Pue(r.getString("datacenter_id"),
                            r.getOffsetDateTime("valid_from").toInstant(), r.getBigDecimal("pue"), r.getString("source"),
                            r.getBigDecimal("pue_low"), r.getBigDecimal("pue_high")));
                }
                List<DatacenterCatalog.Instrument> instruments = new ArrayList<>();
                for (Row r : instrumentRows) {
                    instruments.add(new DatacenterCatalog.Instrument(r.getString("id"), r.getString("datacenter_id"),
                            DatacenterCatalog.InstrumentKind.valueOf(r.getString("kind")),
                            r.getOffsetDateTime("valid_from").toInstant(), r.getOffsetDateTime("valid_to").toInstant(),
                            r.getBigDecimal("share"), r.getBigDecimal("g_co2e_per_kwh"), r.getString("source")));
                }
                List<DatacenterCatalog.ResidualMix> mixes = new ArrayList<>();
                for (Row r : mixRows) {
                    mixes.add(new DatacenterCatalog.ResidualMix(r.getString("zone"), r.getOffsetDateTime("valid_from").toInstant(),
                            r.getBigDecimal("g_co2e_per_kwh"), r.getString("source")));
                }
                DatacenterCatalog catalog = new DatacenterCatalog(dcs, pues, instruments, mixes);
                current.replace(ticket, catalog);
                return catalog;
            })));
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
            // the cited example instruments come with the data centres, once: deleting one keeps it deleted
            for (DatacenterCatalog.Instrument i : tables.instruments()) {
                chain = chain.chain(() -> insert(tx, i));
            }
            return chain.invoke(() -> LOG.infof("seeded %d data centres and %d instruments from the bundled tables",
                    tables.datacenters().size(), tables.instruments().size()));
        }).chain(() -> tx.query("SELECT count(*) FROM residual_mix").execute().flatMap(rows -> {
            if (rows.iterator().next().getLong(0) > 0) {
                return Uni.createFrom().voidItem();
            }
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (DatacenterCatalog.ResidualMix m : tables.residualMixes()) {
                chain = chain.chain(() -> tx.preparedQuery("INSERT INTO residual_mix (zone, valid_from, g_co2e_per_kwh, source) "
                        + "VALUES ($1, $2, $3, $4)").execute(Tuple.of(m.zone(), m.validFrom().atOffset(ZoneOffset.UTC),
                        m.gCo2ePerKWh(), m.source())).replaceWithVoid());
            }
            return chain;
        })));
    }

    private static Uni<Void> insert(SqlClient tx, DatacenterCatalog.Instrument i) {
        return tx.preparedQuery("INSERT INTO contractual_instrument (id, datacenter_id, kind, valid_from, valid_to, share, "
                        + "g_co2e_per_kwh, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.from(List.of(i.id(), i.datacenterId(), i.kind().name(), i.validFrom().atOffset(ZoneOffset.UTC),
                        i.validTo().atOffset(ZoneOffset.UTC), i.share(), i.gCo2ePerKWh(), i.source())))
                .replaceWithVoid();
    }

    private static Uni<Void> insert(SqlClient tx, Datacenter d) {
        return tx.preparedQuery("INSERT INTO datacenter (id, zone, source) VALUES ($1, $2, $3)")
                .execute(Tuple.of(d.id(), d.zone(), d.source()))
                .chain(() -> tx.preparedQuery("INSERT INTO datacenter_pue (datacenter_id, valid_from, pue, source) VALUES ($1, $2, $3, $4)")
                        .execute(Tuple.of(d.id(), java.time.Instant.EPOCH.atOffset(ZoneOffset.UTC), d.pue(), d.source())))
                .replaceWithVoid();
    }
}
