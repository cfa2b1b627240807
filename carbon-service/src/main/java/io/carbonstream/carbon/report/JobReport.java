package io.carbonstream.carbon.report;

import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.JobEvent;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a researcher reports about a training run: hardware, hours, energy, PUE, intensity and its source, CO2e
 * (operational, embodied, total), an everyday equivalent, and the method, as JSON, CSV or Markdown.
 */
public record JobReport(String jobId, String name, String model, String tenant, String state, String acceleratorType,
                        Integer acceleratorsPerWorker, Integer workers, String datacenter, String zone, BigDecimal pue,
                        Instant firstBatchStartedAt, Instant lastBatchEndedAt, BigDecimal wallClockHours, long batches,
                        long tokens, BigDecimal itEnergyKWh, BigDecimal facilityEnergyKWh,
                        BigDecimal averageGCo2ePerKWh, String intensitySource, BigDecimal operationalKgCo2e,
                        BigDecimal embodiedKgCo2e, BigDecimal totalKgCo2e, BigDecimal carKilometres, String method,
                        List<String> sources) {

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
            + "accelerator-hours. Each batch counted once, totals exact (carbonstream).";

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
                applied == null ? null : applied.source().name(), operationalKg, embodiedKg, totalKg, carKm, METHOD, sources);
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
        row(b, "average grid intensity", averageGCo2ePerKWh, "gCO2e/kWh");
        row(b, "intensity source (latest batch)", intensitySource, "");
        row(b, "operational emissions", operationalKgCo2e, "kgCO2e");
        row(b, "embodied emissions", embodiedKgCo2e, "kgCO2e");
        row(b, "total emissions", totalKgCo2e, "kgCO2e");
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
                + plain(round(totalKgCo2e, 3)) + " kgCO2e in all, about as much CO2 as an average US passenger car emits over "
                + plain(round(carKilometres, 1)) + " km.\n\n"
                + "| quantity | value |\n|---|---|\n"
                + "| hardware | " + hardware + " |\n"
                + "| wall-clock time | " + plain(wallClockHours) + " h |\n"
                + "| IT energy | " + plain(round(itEnergyKWh, 6)) + " kWh |\n"
                + "| PUE | " + plain(pue) + " |\n"
                + "| facility energy | " + plain(round(facilityEnergyKWh, 6)) + " kWh |\n"
                + "| grid intensity (average) | " + plain(averageGCo2ePerKWh) + " gCO2e/kWh (" + intensitySource + ") |\n"
                + "| operational emissions | " + plain(round(operationalKgCo2e, 6)) + " kgCO2e |\n"
                + "| embodied emissions | " + plain(round(embodiedKgCo2e, 6)) + " kgCO2e |\n"
                + "| total | " + plain(round(totalKgCo2e, 6)) + " kgCO2e |\n"
                + "| car equivalent | " + plain(round(carKilometres, 1)) + " km |\n\n"
                + "Method: " + METHOD + "\n\nSources:\n" + sources.stream().map(s -> "- " + s).reduce((a, b) -> a + "\n" + b).orElse("")
                + "\n";
    }

    private static void row(StringBuilder b, String quantity, Object value, String unit) {
        String v = value == null ? "" : value instanceof BigDecimal d ? d.toPlainString() : value.toString();
        b.append(quantity).append(',').append(v.contains(",") ? "\"" + v.replace("\"", "\"\"") + "\"" : v).append(',')
                .append(unit).append('\n');
    }

    private static BigDecimal round(BigDecimal v, int scale) {
        return v == null ? null : v.setScale(scale, RoundingMode.HALF_EVEN);
    }

    private static String plain(BigDecimal v) {
        return v == null ? "n/a" : v.stripTrailingZeros().toPlainString();
    }
}
