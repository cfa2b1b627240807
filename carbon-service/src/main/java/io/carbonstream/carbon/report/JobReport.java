package io.carbonstream.carbon.report;

import io.carbonstream.carbon.accounting.Carbon;
import io.carbonstream.carbon.accounting.Spread;
import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.Bounds;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.IntensityBasis;
import io.carbonstream.events.JobEvent;
import io.carbonstream.events.Scope2;
import io.carbonstream.events.Uncertainty;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a researcher reports about a training run: hardware, hours, energy, PUE, intensity and its source, CO2e
 * (operational, embodied, total) with the low and high end of each, the data quality, an everyday equivalent, and
 * the method, as JSON, CSV or Markdown.
 *
 * @param facilityEnergyKWhBounds the low and high ends of the facility energy (docs/methodology.md, "Uncertainty")
 * @param operationalKgCo2eBounds the low and high ends of the operational emissions
 * @param embodiedKgCo2eBounds    the low and high ends of the embodied emissions
 * @param totalKgCo2eBounds       the low and high ends of the total
 * @param energyShare             each energy method's share of the facility energy (MEASURED, MODELED, DECLARED)
 * @param co2eShare               each intensity basis's share of the operational emissions (LIVE, ESTIMATED,
 *                                FORECAST, MANUAL, STATIC)
 * @param marketBasedKgCo2e       operational emissions, market-based (GHG Protocol Scope 2); the location-based
 *                                figure is operationalKgCo2e
 * @param marketBasedKgCo2eBounds its low and high ends
 * @param locationFallbackShare   the share of the market-based figure charged at location-based intensity, for
 *                                want of a supplier factor or residual mix
 * @param instruments             the contractual instruments applied
 */
public record JobReport(String jobId, String name, String model, String tenant, String state, String acceleratorType,
                        Integer acceleratorsPerWorker, Integer workers, String datacenter, String zone, BigDecimal pue,
                        Instant firstBatchStartedAt, Instant lastBatchEndedAt, BigDecimal wallClockHours, long batches,
                        long tokens, BigDecimal itEnergyKWh, BigDecimal facilityEnergyKWh,
                        BigDecimal averageGCo2ePerKWh, String intensitySource, BigDecimal operationalKgCo2e,
                        BigDecimal embodiedKgCo2e, BigDecimal totalKgCo2e, BigDecimal carKilometres, String method,
                        List<String> sources, Bounds facilityEnergyKWhBounds, Bounds operationalKgCo2eBounds,
                        Bounds embodiedKgCo2eBounds, Bounds totalKgCo2eBounds, Map<EnergyMethod, BigDecimal> energyShare,
                        Map<IntensityBasis, BigDecimal> co2eShare, BigDecimal marketBasedKgCo2e,
                        Bounds marketBasedKgCo2eBounds, BigDecimal locationFallbackShare, List<String> instruments) {

    /** Grams CO2 per gallon of gasoline burned: EPA-420-F-23-014 (June 2023). */
    public static final BigDecimal GRAMS_CO2_PER_GALLON = BigDecimal.valueOf(8887);
    /** Fuel economy of the average gasoline passenger car on the road, miles per gallon: EPA-420-F-23-014. */
    public static final BigDecimal MILES_PER_GALLON = new BigDecimal("22.0");
    /** Kilometres in a mile (exact, by definition). */
    public static final BigDecimal KM_PER_MILE = new BigDecimal("1.609344");

    public static final String METHOD = "Energy per batch from measured power where the trainer reported it, else from "
            + "hardware power models (idle-to-max watts by utilisation; CPU, memory and node overhead where known), plus "
            + "idle power between a worker's batches; facility energy = IT energy x PUE of the data centre at the batch's "
            + "time; operational CO2e = facility energy x grid carbon intensity of the data centre's zone valid at the "
            + "batch's time; embodied CO2e = accelerators' manufacturing footprint amortised over 4 years by "
            + "accelerator-hours. Each batch counted once, totals exact. Low and high ends: the same arithmetic with every "
            + "input (power reading or model, PUE, grid intensity, manufacturing footprint) at the low, and at the high "
            + "end of its range (carbonstream, docs/methodology.md).";

    /** Grams of CO2 per kilometre of the average US gasoline car: 8887 g/gal / 22.0 mi/gal / 1.609344 km/mi. */
    public static BigDecimal gramsPerCarKilometre() {
        return GRAMS_CO2_PER_GALLON.divide(MILES_PER_GALLON.multiply(KM_PER_MILE), MathContext.DECIMAL64);
    }

    public static JobReport of(FootprintEvent f, JobEvent job) {
        BigDecimal hours = f.firstBatchStartedAt() == null ? BigDecimal.ZERO
                : BigDecimal.valueOf(Duration.between(f.firstBatchStartedAt(), f.lastBatchEndedAt()).toMillis())
                .divide(BigDecimal.valueOf(3_600_000), 3, RoundingMode.HALF_EVEN);
        BigDecimal operationalKg = f.operationalGCo2e().movePointLeft(3);
        BigDecimal embodiedKg = f.embodiedGCo2e() == null ? BigDecimal.ZERO : f.embodiedGCo2e().movePointLeft(3);
        BigDecimal totalKg = operationalKg.add(embodiedKg);
        BigDecimal carKm = totalKg.movePointRight(3).divide(gramsPerCarKilometre(), 3, RoundingMode.HALF_EVEN);
        var applied = f.lastIntensity();
        // a footprint written before bounds existed: its figures, exactly
        Uncertainty u = f.uncertainty() != null ? f.uncertainty() : Spread.of(f).uncertainty(StaticTables.LIFETIME_SECONDS);
        Scope2 m = f.scope2() != null ? f.scope2() : Spread.of(f).scope2(f.operationalGCo2e());
        List<String> sources = new ArrayList<>(List.of(
                "Car equivalent: US EPA, Greenhouse Gas Emissions from a Typical Passenger Vehicle, EPA-420-F-23-014 (2023): 8,887 g CO2 per gallon, 22.0 mpg",
                "Embodied emissions: Cloud Carbon Footprint coefficients (150 kg CO2e per GPU card), NVIDIA HGX H100 PCF (164 kg per H100); 4-year life",
                "Software Carbon Intensity: Green Software Foundation, ISO/IEC 21031:2024"));
        return new JobReport(f.jobId(), f.name(), f.model(), f.tenant(), f.jobState(),
                job == null ? null : job.acceleratorType(), job == null ? null : job.acceleratorsPerWorker(),
                job == null ? null : job.workers(), applied == null ? null : applied.datacenter(),
                applied == null ? null : applied.zone(), applied == null ? null : applied.pue(),
                f.firstBatchStartedAt(), f.lastBatchEndedAt(), hours, f.batches(), f.tokens(),
                f.itEnergyKWh(), f.facilityEnergyKWh(), f.averageGCo2ePerKWh(),
                applied == null ? null : applied.source().name(), operationalKg, embodiedKg, totalKg, carKm, METHOD, sources,
                kWh(u.facilityEnergyJoules()), kg(u.operationalGCo2e()), kg(u.embodiedGCo2e()),
                kg(u.operationalGCo2e().plus(u.embodiedGCo2e())),
                f.dataQuality() == null ? Map.of() : f.dataQuality().energyShare(),
                f.dataQuality() == null ? Map.of() : f.dataQuality().co2eShare(),
                m.marketBasedGCo2e().movePointLeft(3), kg(m.marketBasedGCo2eBounds()), m.locationFallbackShare(), m.instruments());
    }

    private static Bounds kWh(Bounds joules) {
        return new Bounds(Carbon.kWh(joules.low()), Carbon.kWh(joules.high()));
    }

    private static Bounds kg(Bounds grams) {
        return new Bounds(grams.low().movePointLeft(3), grams.high().movePointLeft(3));
    }

    /** Quantity, value, unit: one row each. */
    public String csv() {
        StringBuilder b = new StringBuilder("quantity,value,unit\n");
        row(b, "job", jobId, "");
        row(b, "name", name, "");
        row(b, "model", model, "");
        row(b, "tenant", tenant, "");
        row(b, "state", state, "");
        row(b, "accelerator", acceleratorType, "");
        row(b, "accelerators per worker", acceleratorsPerWorker, "");
        row(b, "workers", workers, "");
        row(b, "data centre", datacenter, "");
        row(b, "grid zone", zone, "");
        row(b, "PUE", pue, "");
        row(b, "first batch started", firstBatchStartedAt, "");
        row(b, "last batch ended", lastBatchEndedAt, "");
        row(b, "wall-clock time", wallClockHours, "h");
        row(b, "batches", batches, "");
        row(b, "tokens", tokens, "");
        row(b, "IT energy", itEnergyKWh, "kWh");
        row(b, "facility energy", facilityEnergyKWh, "kWh");
        row(b, "facility energy (low)", facilityEnergyKWhBounds.low(), "kWh");
        row(b, "facility energy (high)", facilityEnergyKWhBounds.high(), "kWh");
        row(b, "average grid intensity", averageGCo2ePerKWh, "gCO2e/kWh");
        row(b, "intensity source (latest batch)", intensitySource, "");
        row(b, "operational emissions", operationalKgCo2e, "kgCO2e");
        row(b, "operational emissions (low)", operationalKgCo2eBounds.low(), "kgCO2e");
        row(b, "operational emissions (high)", operationalKgCo2eBounds.high(), "kgCO2e");
        row(b, "operational emissions, market-based", marketBasedKgCo2e, "kgCO2e");
        row(b, "operational emissions, market-based (low)", marketBasedKgCo2eBounds.low(), "kgCO2e");
        row(b, "operational emissions, market-based (high)", marketBasedKgCo2eBounds.high(), "kgCO2e");
        row(b, "market-based share at location-based intensity", locationFallbackShare, "share");
        row(b, "contractual instruments", String.join(" ", instruments), "");
        row(b, "embodied emissions", embodiedKgCo2e, "kgCO2e");
        row(b, "embodied emissions (low)", embodiedKgCo2eBounds.low(), "kgCO2e");
        row(b, "embodied emissions (high)", embodiedKgCo2eBounds.high(), "kgCO2e");
        row(b, "total emissions", totalKgCo2e, "kgCO2e");
        row(b, "total emissions (low)", totalKgCo2eBounds.low(), "kgCO2e");
        row(b, "total emissions (high)", totalKgCo2eBounds.high(), "kgCO2e");
        energyShare.forEach((method, share) -> row(b, "facility energy " + method, share, "share"));
        co2eShare.forEach((basis, share) -> row(b, "operational emissions at " + basis + " intensity", share, "share"));
        row(b, "equivalent car distance", carKilometres, "km");
        return b.toString();
    }

    /** A paragraph and a table a researcher can paste into a paper. */
    public String markdown() {
        String hardware = acceleratorType == null || acceleratorsPerWorker == null || acceleratorsPerWorker == 0
                ? "CPU-only workers" : (workers == null ? "" : workers + " worker(s) of ") + acceleratorsPerWorker + " x " + acceleratorType;
        return "## Carbon footprint of " + (name == null ? jobId : name) + "\n\n"
                + "Training " + (model == null ? "" : "`" + model + "` ") + "ran on " + hardware + " in data centre `"
                + datacenter + "` (grid zone " + zone + ", PUE " + plain(pue) + ") from " + firstBatchStartedAt + " to "
                + lastBatchEndedAt + " (" + plain(wallClockHours) + " h, " + batches + " batches). It used "
                + plain(round(itEnergyKWh, 3)) + " kWh of IT energy, " + plain(round(facilityEnergyKWh, 3))
                + " kWh at the facility. At an average grid intensity of " + plain(averageGCo2ePerKWh) + " gCO2e/kWh ("
                + intensitySource + " for the latest batch), operational emissions were " + plain(round(operationalKgCo2e, 3))
                + " kgCO2e; the accelerators' embodied emissions add " + plain(round(embodiedKgCo2e, 3)) + " kgCO2e, for "
                + plain(round(totalKgCo2e, 3)) + " kgCO2e in all (between " + plain(round(totalKgCo2eBounds.low(), 3))
                + " and " + plain(round(totalKgCo2eBounds.high(), 3)) + " kgCO2e with every input at the low or the high end "
                + "of its range), about as much CO2 as an average US passenger car emits over "
                + plain(round(carKilometres, 1)) + " km.\n\n"
                + "| quantity | value |\n|---|---|\n"
                + "| hardware | " + hardware + " |\n"
                + "| wall-clock time | " + plain(wallClockHours) + " h |\n"
                + "| IT energy | " + plain(round(itEnergyKWh, 6)) + " kWh |\n"
                + "| PUE | " + plain(pue) + " |\n"
                + "| facility energy | " + plain(round(facilityEnergyKWh, 6)) + " kWh (" + range(facilityEnergyKWhBounds) + ") |\n"
                + "| grid intensity (average) | " + plain(averageGCo2ePerKWh) + " gCO2e/kWh (" + intensitySource + ") |\n"
                + "| operational emissions, location-based | " + plain(round(operationalKgCo2e, 6)) + " kgCO2e (" + range(operationalKgCo2eBounds) + ") |\n"
                + "| operational emissions, market-based | " + plain(round(marketBasedKgCo2e, 6)) + " kgCO2e (" + range(marketBasedKgCo2eBounds)
                + (locationFallbackShare != null && locationFallbackShare.signum() > 0
                        ? "; " + plain(locationFallbackShare.movePointRight(2).setScale(2, RoundingMode.HALF_EVEN)) + " % at location-based intensity, no residual mix known" : "")
                + ") |\n"
                + "| contractual instruments | " + (instruments.isEmpty() ? "none" : String.join(", ", instruments)) + " |\n"
                + "| embodied emissions | " + plain(round(embodiedKgCo2e, 6)) + " kgCO2e (" + range(embodiedKgCo2eBounds) + ") |\n"
                + "| total | " + plain(round(totalKgCo2e, 6)) + " kgCO2e (" + range(totalKgCo2eBounds) + ") |\n"
                + "| energy by method | " + shares(energyShare) + " |\n"
                + "| emissions by intensity | " + shares(co2eShare) + " |\n"
                + "| car equivalent | " + plain(round(carKilometres, 1)) + " km |\n\n"
                + "Method: " + METHOD + "\n\nSources:\n" + sources.stream().map(s -> "- " + s).reduce((a, b) -> a + "\n" + b).orElse("")
                + "\n";
    }

    private static void row(StringBuilder b, String quantity, Object value, String unit) {
        String v = value == null ? "" : value instanceof BigDecimal d ? d.toPlainString() : value.toString();
        b.append(quantity).append(',').append(v.contains(",") ? "\"" + v.replace("\"", "\"\"") + "\"" : v).append(',')
                .append(unit).append('\n');
    }

    private static String range(Bounds b) {
        return plain(round(b.low(), 6)) + " to " + plain(round(b.high(), 6));
    }

    private static String shares(Map<? extends Enum<?>, BigDecimal> shares) {
        if (shares.isEmpty()) {
            return "n/a";
        }
        StringBuilder b = new StringBuilder();
        shares.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k.name()).append(' ')
                .append(plain(v.movePointRight(2).setScale(2, RoundingMode.HALF_EVEN))).append(" %"));
        return b.toString();
    }

    private static BigDecimal round(BigDecimal v, int scale) {
        return v == null ? null : v.setScale(scale, RoundingMode.HALF_EVEN);
    }

    private static String plain(BigDecimal v) {
        return v == null ? "n/a" : v.stripTrailingZeros().toPlainString();
    }
}
