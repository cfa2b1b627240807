package io.carbonstream.carbon.providers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code carbonstream.grid.*}: which providers to poll, for which zones. All are off by default (offline). */
@ConfigMapping(prefix = "carbonstream.grid")
public interface GridConfig {

    /** How often each provider is asked for each of its zones. */
    @WithDefault("5M")
    Duration pollInterval();

    /** Longest wait between attempts while a provider fails. */
    @WithDefault("1H")
    Duration maxBackoff();

    /** A CSV file of observations published once at start (see ProviderFormats.csv). */
    Optional<String> replayFile();

    ElectricityMaps electricityMaps();

    WattTime watttime();

    Neso ukNeso();

    interface ElectricityMaps {
        @WithDefault("https://api.electricitymap.org")
        String url();

        Optional<String> token();

        Optional<List<String>> zones();
    }

    interface WattTime {
        @WithDefault("https://api.watttime.org")
        String url();

        Optional<String> username();

        Optional<String> password();

        /** carbonstream zone -> WattTime region, e.g. US-CAL-CISO=CAISO_NORTH; its keys are the zones polled. */
        Map<String, String> regions();
    }

    interface Neso {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("https://api.carbonintensity.org.uk")
        String url();
    }
}
