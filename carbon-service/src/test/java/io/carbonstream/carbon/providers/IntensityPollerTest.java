package io.carbonstream.carbon.providers;

import com.sun.net.httpserver.HttpServer;
import io.carbonstream.events.GridIntensityEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The poller against a local HTTP server that answers like the real providers, with their recorded responses. */
class IntensityPollerTest {

    HttpServer server;
    String base;
    final AtomicInteger failWith = new AtomicInteger(0);
    final List<String> authHeaders = new ArrayList<>();
    Instant now = Instant.parse("2026-03-01T12:10:00Z");
    final Clock clock = new Clock() {
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    };

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serve("/v3/carbon-intensity/latest", "electricitymaps-latest.json", "auth-token");
        serve("/login", null, "Authorization");
        serve("/v3/forecast", "watttime-forecast.json", "Authorization");
        serve("/intensity", "neso-intensity.json", null);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void serve(String path, String recorded, String authHeader) {
        server.createContext(path, exchange -> {
            if (authHeader != null) {
                authHeaders.add(path + " " + exchange.getRequestHeaders().getFirst(authHeader));
            }
            byte[] body = recorded == null ? "{\"token\":\"wt-token\"}".getBytes()
                    : IntensityPollerTest.class.getResourceAsStream("/providers/" + recorded).readAllBytes();
            int status = failWith.get() == 0 ? 200 : failWith.get();
            exchange.sendResponseHeaders(status, status == 200 ? body.length : -1);
            if (status == 200) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void eachProviderIsPolledAndOnlyNewObservationsArePublished() {
        List<GridIntensityEvent> published = new ArrayList<>();
        IntensityPoller poller = new IntensityPoller(published::add, Duration.ofMinutes(5), Duration.ofHours(1), clock)
                .add(HttpProviders.electricityMaps(base, "em-key"), "DE")
                .add(HttpProviders.wattTime(base, "user", "secret", Map.of("US-CAL-CISO", "CAISO_NORTH")), "US-CAL-CISO")
                .add(HttpProviders.neso(base), "GB");
        poller.tick();
        assertEquals(1 + 2 + 2, published.size());
        assertTrue(authHeaders.contains("/v3/carbon-intensity/latest em-key"), authHeaders.toString());
        assertTrue(authHeaders.contains("/v3/forecast Bearer wt-token"), authHeaders.toString());
        assertTrue(poller.status().stream().allMatch(s -> s.state().equals("UP") && !s.staticFallback()));

        poller.tick(); // not due yet
        now = now.plus(Duration.ofMinutes(5));
        poller.tick(); // due, same answers: nothing new
        assertEquals(5, published.size());
    }

    @Test
    void aProviderThatFailsBacksOffExponentiallyReportsTheFallbackAndRecovers() {
        List<GridIntensityEvent> published = new ArrayList<>();
        IntensityPoller poller = new IntensityPoller(published::add, Duration.ofMinutes(5), Duration.ofMinutes(30), clock)
                .add(HttpProviders.neso(base), "GB");
        failWith.set(503);
        poller.tick();
        IntensityPoller.Status down = poller.status().get(0);
        assertEquals("DOWN", down.state());
        assertEquals("HTTP 503 from " + base + "/intensity", down.lastError());
        assertTrue(down.staticFallback());
        assertEquals(now.plus(Duration.ofMinutes(10)), down.nextAttempt(), "interval x 2");
        now = now.plus(Duration.ofMinutes(10));
        poller.tick();
        assertEquals(now.plus(Duration.ofMinutes(20)), poller.status().get(0).nextAttempt(), "interval x 4");
        now = now.plus(Duration.ofMinutes(20));
        poller.tick();
        assertEquals(now.plus(Duration.ofMinutes(30)), poller.status().get(0).nextAttempt(), "capped at max backoff");
        assertEquals(0, published.size());

        failWith.set(0);
        now = now.plus(Duration.ofMinutes(30));
        poller.tick();
        IntensityPoller.Status up = poller.status().get(0);
        assertEquals("UP", up.state());
        assertNull(up.lastError());
        assertEquals(2, published.size());
    }
}
