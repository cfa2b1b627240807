package io.carbonstream.carbon.providers;

import io.carbonstream.carbon.grid.IntensityPublisher;
import io.carbonstream.events.GridIntensityEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Starts what {@link GridConfig} enables: replays the configured CSV file once, then polls the providers every
 * 10 s on a worker thread (each zone at its own pace, see {@link IntensityPoller}).
 */
@ApplicationScoped
public class ProviderService {

    private static final Logger LOG = Logger.getLogger(ProviderService.class);

    @Inject
    GridConfig config;

    @Inject
    IntensityPublisher publisher;

    @Inject
    Vertx vertx;

    private IntensityPoller poller;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    void onStart(@Observes StartupEvent event) {
        poller = new IntensityPoller(this::publish, config.pollInterval(), config.maxBackoff(), Clock.systemUTC());
        config.electricityMaps().token().ifPresent(token -> config.electricityMaps().zones().orElse(List.of())
                .forEach(zone -> poller.add(HttpProviders.electricityMaps(config.electricityMaps().url(), token), zone)));
        var wt = config.watttime();
        if (wt.username().isPresent() && wt.password().isPresent()) {
            ProviderClient client = HttpProviders.wattTime(wt.url(), wt.username().get(), wt.password().get(), wt.regions());
            wt.regions().keySet().forEach(zone -> poller.add(client, zone));
        }
        if (config.ukNeso().enabled()) {
            poller.add(HttpProviders.neso(config.ukNeso().url()), "GB");
        }
        // carbonstream_grid_provider_up{provider,zone}: 1 while the provider answers, 0 when down or not yet polled;
        // carbonstream_grid_provider_static_fallback{provider,zone}: 1 while the zone falls back to its static average
        for (IntensityPoller.Status s : poller.status()) {
            var tags = io.micrometer.core.instrument.Tags.of("provider", s.provider(), "zone", s.zone());
            registry.gauge("carbonstream.grid.provider.up", tags, this, me -> me.stateOf(s.provider(), s.zone(), true));
            registry.gauge("carbonstream.grid.provider.static.fallback", tags, this, me -> me.stateOf(s.provider(), s.zone(), false));
        }
        config.replayFile().ifPresent(this::replay);
        if (!poller.status().isEmpty()) {
            vertx.setPeriodic(1, Duration.ofSeconds(10).toMillis(), id -> vertx.executeBlocking(() -> {
                poller.tick();
                return null;
            }, false));
        }
    }

    private double stateOf(String provider, String zone, boolean up) {
        for (IntensityPoller.Status s : status()) {
            if (s.provider().equals(provider) && s.zone().equals(zone)) {
                return up ? ("UP".equals(s.state()) ? 1 : 0) : (s.staticFallback() ? 1 : 0);
            }
        }
        return 0;
    }

    public List<IntensityPoller.Status> status() {
        return poller == null ? List.of() : poller.status();
    }

    void replay(String file) {
        try {
            List<GridIntensityEvent> observations = ProviderFormats.csv(Files.readAllLines(Path.of(file)));
            observations.forEach(this::publish);
            LOG.infof("published %d grid intensity observations from %s", observations.size(), file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read carbonstream.grid.replay-file " + file, e);
        }
    }

    private void publish(GridIntensityEvent observation) {
        publisher.publish(observation).await().atMost(Duration.ofSeconds(30));
    }
}
