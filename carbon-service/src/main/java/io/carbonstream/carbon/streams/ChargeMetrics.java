package io.carbonstream.carbon.streams;

import io.carbonstream.events.GridIntensityEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What operators watch of each counted batch, with labels of bounded cardinality (tenant, model, data centre,
 * zone, intensity source; never a job or event id):
 * <ul>
 *   <li>{@code carbonstream_carbon_energy_joules_total{tenant,model}}: facility energy counted;</li>
 *   <li>{@code carbonstream_carbon_co2e_grams_total{tenant,model}}: operational + embodied CO2e counted;</li>
 *   <li>{@code carbonstream_carbon_intensity_batches_total{zone,datacenter,source}}: batches charged per intensity
 *       source (PROVIDER names, STATIC_TABLE fallback, MANUAL);</li>
 *   <li>{@code carbonstream_carbon_intensity_applied_gco2e_per_kwh{zone}}: the intensity last applied;</li>
 *   <li>{@code carbonstream_carbon_batch_lag_seconds}: a histogram of the time from a batch's end to when
 *       carbon-service counts it (its footprint commits within the commit interval after); a replayed run's
 *       batches ended long ago and land in the top bucket.</li>
 * </ul>
 * Metrics are not transactional: after a crash the counters of the aborted transaction's batches count again on
 * retry. The footprints are the exact record; these are for dashboards and alerts.
 */
final class ChargeMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter[]> byTenantModel = new ConcurrentHashMap<>();
    private final Map<String, Counter> bySource = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> applied = new ConcurrentHashMap<>();
    private final Timer lag;

    ChargeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.lag = Timer.builder("carbonstream.carbon.batch.lag")
                .description("from a batch's end to carbon-service counting it")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(50))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    void counted(String tenant, String model, String datacenter, String zone, GridIntensityEvent.Source source,
                 BigDecimal gCo2ePerKWh, BigDecimal facilityJoules, BigDecimal grams, long lagMillis) {
        Counter[] c = byTenantModel.computeIfAbsent(tenant + "\u0000" + model, k -> new Counter[] {
                Counter.builder("carbonstream.carbon.energy.joules").description("facility energy counted, J")
                        .tags("tenant", tenant, "model", model).register(registry),
                Counter.builder("carbonstream.carbon.co2e.grams").description("operational + embodied CO2e counted, g")
                        .tags("tenant", tenant, "model", model).register(registry)});
        c[0].increment(facilityJoules.doubleValue());
        c[1].increment(grams.doubleValue());
        bySource.computeIfAbsent(zone + "\u0000" + datacenter + "\u0000" + source, k -> Counter
                .builder("carbonstream.carbon.intensity.batches").description("batches charged, by intensity source")
                .tags("zone", zone, "datacenter", datacenter, "source", String.valueOf(source)).register(registry)).increment();
        applied.computeIfAbsent(zone, z -> {
            AtomicReference<Double> value = new AtomicReference<>(0.0);
            registry.gauge("carbonstream.carbon.intensity.applied.gco2e.per.kwh",
                    io.micrometer.core.instrument.Tags.of("zone", z), value, AtomicReference::get);
            return value;
        }).set(gCo2ePerKWh.doubleValue());
        lag.record(Math.max(0, lagMillis), TimeUnit.MILLISECONDS);
    }
}
