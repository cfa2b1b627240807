package io.carbonstream.carbon.providers;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.GridIntensityEvent;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** HTTP clients of the supported providers, each reading its response with {@link ProviderFormats}. */
public final class HttpProviders {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private HttpProviders() {
    }

    /** Electricity Maps v3 {@code /v3/carbon-intensity/latest?zone=}, authenticated with the {@code auth-token} header. */
    public static ProviderClient electricityMaps(String baseUrl, String token) {
        return new ProviderClient() {
            public String name() {
                return "electricity-maps";
            }

            public List<GridIntensityEvent> fetch(String zone) throws IOException {
                byte[] body = get(baseUrl + "/v3/carbon-intensity/latest?zone=" + encode(zone), Map.of("auth-token", token));
                return ProviderFormats.electricityMaps(zone, body);
            }
        };
    }

    /**
     * WattTime v3: logs in ({@code /login}, HTTP basic) for a bearer token, then reads the marginal forecast
     * {@code /v3/forecast?region=&signal_type=co2_moer}. {@code regions} maps carbonstream zones to WattTime regions.
     */
    public static ProviderClient wattTime(String baseUrl, String username, String password, Map<String, String> regions) {
        return new ProviderClient() {
            public String name() {
                return "watttime";
            }

            public List<GridIntensityEvent> fetch(String zone) throws IOException {
                String region = regions.getOrDefault(zone, zone);
                String basic = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
                String token = EventJson.mapper().readTree(get(baseUrl + "/login", Map.of("Authorization", "Basic " + basic)))
                        .path("token").asText();
                byte[] body = get(baseUrl + "/v3/forecast?region=" + encode(region) + "&signal_type=co2_moer",
                        Map.of("Authorization", "Bearer " + token));
                return ProviderFormats.wattTime(zone, body, true);
            }
        };
    }

    /** The UK NESO Carbon Intensity API {@code /intensity} (no key); observations of zone GB. */
    public static ProviderClient neso(String baseUrl) {
        return new ProviderClient() {
            public String name() {
                return "uk-neso";
            }

            public List<GridIntensityEvent> fetch(String zone) throws IOException {
                return ProviderFormats.neso(zone, get(baseUrl + "/intensity", Map.of()));
            }
        };
    }

    static byte[] get(String url, Map<String, String> headers) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json");
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw new IOException("HTTP " + response.statusCode() + " from " + url.replaceAll("\\?.*", ""));
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
