package io.carbonstream.carbon.providers;

import io.carbonstream.events.GridIntensityEvent;

import java.io.IOException;
import java.util.List;

/** One grid-intensity provider's API, fetching the current observations of one zone. */
public interface ProviderClient {

    /** A short name used in status reports and logs, such as {@code electricity-maps}. */
    String name();

    /**
     * @throws IOException on a network error or an unexpected HTTP status (the poller backs off and retries)
     */
    List<GridIntensityEvent> fetch(String zone) throws IOException;
}
