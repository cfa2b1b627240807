package io.carbonstream.telemetry.catalog;

import io.carbonstream.support.Snapshot;
import io.carbonstream.telemetry.power.PowerCatalog;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/** The hardware catalog the stream processor applies ({@link Snapshot}: swapped whole, first load awaited). */
@ApplicationScoped
public class CatalogSnapshot {

    private final Snapshot<PowerCatalog> snapshot = new Snapshot<>("the hardware catalog");

    public void replace(PowerCatalog catalog) {
        snapshot.replace(catalog);
    }

    /** A ticket for a refresh ({@link Snapshot#begin()}). */
    public long begin() {
        return snapshot.begin();
    }

    /** Applies what the refresh with {@code ticket} read, unless a refresh that started later was applied. */
    public void replace(long ticket, PowerCatalog catalog) {
        snapshot.replace(ticket, catalog);
    }

    /** The current catalog, waiting up to {@code timeout} for the first load. */
    public PowerCatalog await(Duration timeout) {
        return snapshot.await(timeout);
    }
}
