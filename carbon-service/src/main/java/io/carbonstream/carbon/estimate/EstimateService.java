package io.carbonstream.carbon.estimate;

import io.carbonstream.carbon.grid.DatacenterCatalog;
import io.carbonstream.carbon.grid.DatacenterRepository;
import io.carbonstream.carbon.grid.IntensityTimeline;
import io.carbonstream.carbon.accounting.FootprintAccumulator;
import io.carbonstream.carbon.accounting.Spread;
import io.carbonstream.carbon.grid.Ranges;
import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.Bounds;
import io.carbonstream.events.Energy;
import io.carbonstream.events.EnergyEvent;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.IntensityBasis;
import io.carbonstream.events.Tolerances;
import io.carbonstream.events.EventJson;
import io.carbonstream.support.Problem;
import io.carbonstream.support.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Works out {@link Estimate}s, taking what the request leaves out from the catalogs the pipeline uses. */
@ApplicationScoped
public class EstimateService {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    DatacenterRepository datacenters;

    @Inject
    StaticTables tables;

    @Inject
    io.carbonstream.carbon.query.Queries queries;

    /** The caller's token, passed on to telemetry-service: the power model is read with the caller's own rights. */
    @jakarta.inject.Inject
    org.eclipse.microprofile.jwt.JsonWebToken caller;

    @ConfigProperty(name = "carbonstream.telemetry.url", defaultValue = "http://127.0.0.1:8082")
    String telemetryUrl;

    public Estimate estimate(EstimateRequest r) {
        if (r == null) {
            throw ProblemException.invalidField(null, "the request body is empty");
        }
        var violations = r.validate();
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        Instant at = r.at() == null ? Instant.now() : r.at();
        List<Estimate.Assumption> assumptions = new ArrayList<>();
        BigDecimal seconds = r.seconds();
        assumptions.add(new Estimate.Assumption("accelerators", BigDecimal.valueOf(r.acceleratorCount()), "devices", "declared"));
        assumptions.add(new Estimate.Assumption("duration", seconds, "s", "declared"));

        DatacenterCatalog.At dc = null;
        if (r.datacenter() != null) {
            dc = datacenters.await(Duration.ofSeconds(30)).at(r.datacenter(), at).orElseThrow(() ->
                    ProblemException.invalidField("datacenter", "unknown data centre " + r.datacenter()));
        }
        BigDecimal pue = r.pue() != null ? r.pue() : dc.pue();
        assumptions.add(new Estimate.Assumption("PUE", pue, "", r.pue() != null ? "declared" : "data centre " + dc.id()
                + " at " + at + ": " + dc.pueSource()));

        BigDecimal intensity;
        Bounds intensityRange;
        IntensityBasis basis;
        if (r.gCo2ePerKWh() != null) {
            intensity = r.gCo2ePerKWh();
            basis = IntensityBasis.MANUAL;
            intensityRange = Ranges.intensity(intensity, basis);
            assumptions.add(new Estimate.Assumption("grid intensity", intensity, "gCO2e/kWh", "declared"));
        } else {
            String zone = r.zone() != null ? r.zone() : dc.zone();
            var observed = IntensityTimeline.find(queries.local(io.carbonstream.carbon.query.StoreNames.INTENSITY_STORE), zone, at);
            if (observed.isPresent()) {
                intensity = observed.get().gCo2ePerKWh();
                basis = IntensityBasis.of(observed.get().source(), observed.get().estimated(), observed.get().forecast());
                intensityRange = Ranges.intensity(intensity, basis);
                assumptions.add(new Estimate.Assumption("grid intensity", intensity, "gCO2e/kWh", "zone " + zone + " at " + at
                        + ": " + observed.get().source() + " observation from " + observed.get().validFrom()));
            } else {
                intensity = tables.annualIntensity(zone).orElseThrow(() -> ProblemException.invalidField("zone",
                        "no intensity for zone " + zone + ": no observation at " + at + " and no static value"));
                basis = IntensityBasis.STATIC;
                intensityRange = tables.annualRange(zone, intensity);
                assumptions.add(new Estimate.Assumption("grid intensity", intensity, "gCO2e/kWh", "zone " + zone
                        + ": STATIC_TABLE annual average (carbonstream/static-intensity.csv)"));
            }
        }
        // the power model is asked last: everything local is checked before a remote call
        BigDecimal watts;
        Bounds wattsRange;
        if (r.averagePowerWatts() != null) {
            watts = r.averagePowerWatts();
            wattsRange = Bounds.relative(watts, Tolerances.DECLARED);
            assumptions.add(new Estimate.Assumption("power per accelerator", watts, "W", "declared average power"));
        } else {
            BigDecimal u = r.averageUtilization() == null ? BigDecimal.ONE : r.averageUtilization();
            Modelled model = modelled(r.acceleratorType(), u);
            watts = model.watts();
            // the range telemetry-service gives a modelled batch: idle..max at an unknown utilisation, else the
            // profile's tolerance (a calibrated profile's own, else the model's 40 %) within idle..max
            BigDecimal idle = modelled(r.acceleratorType(), BigDecimal.ZERO).watts();
            BigDecimal max = u.compareTo(BigDecimal.ONE) == 0 ? watts : modelled(r.acceleratorType(), BigDecimal.ONE).watts();
            wattsRange = r.averageUtilization() == null ? new Bounds(idle, max)
                    : Bounds.relative(watts, model.tolerance()).within(u.signum() > 0 ? idle : BigDecimal.ZERO, max);
            assumptions.add(new Estimate.Assumption("power per accelerator", watts, "W", "telemetry-service power model of "
                    + r.acceleratorType() + " at utilization " + u.toPlainString()
                    + (r.averageUtilization() == null ? " (full load: none declared)" : "")));
        }

        BigDecimal embodied = tables.embodiedGrams(r.acceleratorType());
        assumptions.add(new Estimate.Assumption("embodied per accelerator", embodied, "gCO2e over 4 years",
                "carbonstream/embodied.csv"));
        Estimate estimate = Estimate.of(r.acceleratorCount(), seconds, watts, pue, intensity, embodied, assumptions);
        return bounded(estimate, r, at, seconds, wattsRange, pue,
                r.pue() != null || dc == null ? Ranges.pue(pue, null, null) : dc.pueBounds(),
                intensity, intensityRange, basis, r.gCo2ePerKWh() == null && r.pue() == null && dc != null ? dc.market() : null,
                embodied, tables.embodiedRange(r.acceleratorType()));
    }

    /**
     * The estimate's bounds and market-based figure, from the same charging step as a batch's: the run as one batch
     * of its accelerators, every input at the low and at the high end of its range. Market-based uses the data
     * centre's instruments only when the estimate takes its PUE and intensity from the data centre too.
     */
    static Estimate bounded(Estimate e, EstimateRequest r, Instant at, BigDecimal seconds, Bounds watts, BigDecimal pue,
                            Bounds pueRange,
                            BigDecimal intensity, Bounds intensityRange, IntensityBasis basis,
                            io.carbonstream.events.FootprintEvent.MarketFactor market, BigDecimal embodied, Bounds embodiedRange) {
        long nanos = seconds.movePointRight(9).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
        Instant start = at.minusNanos(nanos / 2);
        BigDecimal deviceSeconds = seconds.multiply(BigDecimal.valueOf(r.acceleratorCount()));
        EnergyEvent run = new EnergyEvent(EnergyEvent.SCHEMA_VERSION, new java.util.UUID(0, 0), "estimate", "estimate", "0",
                0L, io.carbonstream.events.Phase.PRETRAIN, start, start.plusNanos(nanos), 0L, 0L, null, r.acceleratorType(),
                r.acceleratorCount(), "estimate", new Energy(e.itEnergyJoules(), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO),
                null, r.averagePowerWatts() != null ? EnergyMethod.DECLARED : EnergyMethod.MODELED, null, null, at,
                new Bounds(deviceSeconds.multiply(watts.low()), deviceSeconds.multiply(watts.high())));
        FootprintEvent.AppliedIntensity applied = new FootprintEvent.AppliedIntensity("estimate", "estimate", pue, intensity,
                null, at, pueRange, intensityRange, basis, market);
        FootprintAccumulator.ChargedBatch charged = FootprintAccumulator.ChargedBatch.of(run, applied, embodied, embodiedRange);
        Spread spread = charged.spread();
        return e.with(spread.uncertainty(StaticTables.LIFETIME_SECONDS), spread.scope2(e.operationalGCo2e()));
    }


    /**
     * The job's IT energy charged with another data centre's current PUE and zone, or a given PUE and zone (each
     * left out: the job's last applied one), at the zone's static annual intensity.
     *
     * @param pue a PUE already checked against {@link io.carbonstream.carbon.grid.PueRange}, or null
     */
    public WhatIf whatIf(io.carbonstream.events.FootprintEvent f, String datacenter, String zone, BigDecimal pue) {
        var actual = f.lastIntensity();
        var site = datacenter == null ? null : datacenters.await(Duration.ofSeconds(30)).at(datacenter, Instant.now())
                .orElseThrow(() -> ProblemException.invalidField("datacenter", "unknown data centre " + datacenter));
        String z = zone != null ? zone : site != null ? site.zone() : actual.zone();
        BigDecimal p = pue != null ? pue : site != null ? site.pue() : actual.pue();
        // the PUE's range as a batch would be charged: a data centre's stated one, the job's own, else the default
        Bounds pueRange = pue != null ? Ranges.pue(p, null, null)
                : site != null ? site.pueBounds()
                : actual.pueBounds() != null ? actual.pueBounds() : Ranges.pue(p, null, null);
        BigDecimal intensity = tables.annualIntensity(z).orElseThrow(() ->
                ProblemException.invalidField("zone", "no static intensity for zone " + z));
        return WhatIf.of(f, site == null ? null : site.id(), z, p, pueRange, intensity, tables.annualRange(z, intensity),
                "STATIC_TABLE annual average of " + z);
    }

    /** A profile's power at a utilisation, and the relative range telemetry-service charges it with. */
    private record Modelled(BigDecimal watts, BigDecimal tolerance) {
    }

    private Modelled modelled(String acceleratorType, BigDecimal utilization) {
        String url = telemetryUrl + "/hardware/" + URLEncoder.encode(acceleratorType, StandardCharsets.UTF_8)
                + "/power?utilization=" + utilization.toPlainString();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
            String token = caller.getRawToken();
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 404) {
                throw ProblemException.invalidField("acceleratorType", "unknown hardware profile " + acceleratorType);
            }
            if (response.statusCode() == 409) {
                // a device in the catalog whose power nobody publishes: only a declared figure can price it
                throw ProblemException.invalidField("acceleratorType", acceleratorType
                        + " has no power model (no published power figure); declare averagePowerWatts, or give the"
                        + " profile figures in telemetry-service");
            }
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new IOException("telemetry-service refused the caller's token (HTTP " + response.statusCode()
                        + "): both services must trust the same issuer and key");
            }
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            com.fasterxml.jackson.databind.JsonNode power = EventJson.mapper().readTree(response.body());
            // a telemetry-service from before calibrated tolerances answers without one: the model's default
            com.fasterxml.jackson.databind.JsonNode tolerance = power.get("tolerance");
            return new Modelled(power.get("watts").decimalValue(),
                    tolerance == null || !tolerance.isNumber() ? Tolerances.MODEL : tolerance.decimalValue());
        } catch (IOException e) {
            throw new ProblemException(Problem.unavailable("the power model (telemetry-service) could not be asked: "
                    + e.getMessage() + "; declare averagePowerWatts instead"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
