package io.carbonstream.telemetry.catalog;

import io.carbonstream.telemetry.power.PowerCatalog;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The catalog the stream processor applies: an immutable snapshot swapped whole when the catalog changes, so a
 * batch is always computed with one consistent set of profiles. Readers wait for the first load, so no batch is
 * ever judged against an empty catalog.
 */
@ApplicationScoped
public class CatalogSnapshot {

    private final AtomicReference<PowerCatalog> current = new AtomicReference<>();
    private final CountDownLatch loaded = new CountDownLatch(1);

    public void replace(PowerCatalog catalog) {
        current.set(catalog);
        loaded.countDown();
    }

    /** The current catalog, waiting up to {@code timeout} for the first load. */
    public PowerCatalog await(Duration timeout) {
        try {
            if (!loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the hardware catalog was not loaded within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return current.get();
    }
}
