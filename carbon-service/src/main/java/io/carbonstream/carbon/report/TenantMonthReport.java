package io.carbonstream.carbon.report;

import io.carbonstream.carbon.accounting.Carbon;
import io.carbonstream.carbon.accounting.Spread;
import io.carbonstream.carbon.grid.StaticTables;
import io.carbonstream.events.Bounds;
import io.carbonstream.events.EnergyMethod;
import io.carbonstream.events.FootprintEvent;
import io.carbonstream.events.IntensityBasis;
import io.carbonstream.events.RollupEvent;
import io.carbonstream.events.Scope2;
import io.carbonstream.events.Uncertainty;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A tenant's calendar month (UTC, by each batch's midpoint) as a sustainability team files it: per job and in
 * total, facility energy, Scope 2 emissions location-based and market-based with their low and high ends, the
 * contractual instruments used, the data quality, and embodied emissions apart (they are not Scope 2). The total
 * is the tenant's TENANT_MONTH roll-up itself; the jobs' rows are the same batches' changes summed per job, so they
 * add up to it exactly.
 *
 * @param total the month's figures (the TENANT_MONTH roll-up); null for a month without a counted batch
 * @param jobs  each job's part of the month, by job id
 */
public record TenantMonthReport(String tenant, String month, Line total, List<Line> jobs, List<String> instruments,
                                String method, List<String> sources) {

    public static final String METHOD = "Scope 2 (GHG Protocol Scope 2 Guidance, 2015), both methods. Location-based: "
            + "facility energy (IT energy x the data centre's PUE at each batch's time) x the grid intensity of its zone at "
            + "that time. Market-based: the same facility energy x the data centre's contractual instruments at that time "
            + "(certificates and PPAs for the share they cover, at their own factors), and for the rest its supplier's "
            + "factor or the zone's residual mix, else the location-based intensity (the share so charged is reported). "
            + "Low and high: every input at the low or the high end of its range. Embodied emissions (the accelerators' "
            + "manufacturing, amortised over 4 years by accelerator-hours) are not Scope 2 and are reported apart. Each "
            + "batch counted once; totals exact; a batch belongs to the month of its midpoint (carbonstream, "
            + "docs/methodology.md).";

    /**
     * One row: a job's part of the month, or the month's total.
     *
     * @param locationFallbackShare the share of the market-based figure charged at location-based intensity
     * @param energyShare           the facility energy's share by how it was known
     * @param co2eShare             the location-based CO2e's share by the kind of intensity charged
     */
    public record Line(String jobId, String name, String model, long batches, BigDecimal facilityEnergyKWh,
                       Bounds facilityEnergyKWhBounds, BigDecimal locationBasedKgCo2e, Bounds locationBasedKgCo2eBounds,
                       BigDecimal marketBasedKgCo2e, Bounds marketBasedKgCo2eBounds, BigDecimal locationFallbackShare,
                       BigDecimal embodiedKgCo2e, Bounds embodiedKgCo2eBounds, List<String> instruments,
                       Map<EnergyMethod, BigDecimal> energyShare, Map<IntensityBasis, BigDecimal> co2eShare) {

        static Line of(String jobId, FootprintEvent job, RollupEvent r) {
            Spread spread = Spread.of(r);
            Uncertainty u = r.uncertainty() != null ? r.uncertainty() : spread.uncertainty(StaticTables.LIFETIME_SECONDS);
            Scope2 m = r.scope2() != null ? r.scope2() : spread.scope2(r.operationalGCo2e());
            var quality = spread.quality(r.facilityEnergyJoules(), r.carbonIntegral());
            return new Line(jobId, job == null ? null : job.name(), job == null ? null : job.model(), r.batches(),
                    Carbon.kWh(r.facilityEnergyJoules()), kWh(u.facilityEnergyJoules()), kg(r.operationalGCo2e()),
                    kg(u.operationalGCo2e()), kg(m.marketBasedGCo2e()), kg(m.marketBasedGCo2eBounds()),
                    m.locationFallbackShare(), kg(r.embodiedGCo2e()), kg(u.embodiedGCo2e()), m.instruments(),
                    quality.energyShare(), quality.co2eShare());
        }
    }

    /**
     * The report of {@code rollups} (the month's TENANT_MONTH roll-up and its jobs' TENANT_MONTH_JOB parts), with each
     * job's name and model from {@code footprints} where it is known.
     */
    public static TenantMonthReport of(String tenant, String month, List<RollupEvent> rollups, Map<String, FootprintEvent> footprints) {
        Line total = null;
        List<Line> jobs = new ArrayList<>();
        TreeSet<String> instruments = new TreeSet<>();
        for (RollupEvent r : rollups) {
            if (r.kind() == RollupEvent.Kind.TENANT_MONTH) {
                total = Line.of(null, null, r);
                instruments.addAll(total.instruments());
            } else if (r.kind() == RollupEvent.Kind.TENANT_MONTH_JOB) {
                String jobId = r.name().substring(r.name().indexOf(' ') + 1);
                jobs.add(Line.of(jobId, footprints.get(jobId), r));
            }
        }
        jobs.sort(java.util.Comparator.comparing(Line::jobId));
        return new TenantMonthReport(tenant, month, total, List.copyOf(jobs), List.copyOf(instruments), METHOD, List.of(
                "GHG Protocol Scope 2 Guidance (WRI/WBCSD, 2015): location-based and market-based methods",
                "Residual mixes: AIB European Residual Mixes 2023 and 2024 (direct CO2), carbonstream/residual-mixes.csv; GET /residual-mixes",
                "Ranges of every input: docs/methodology.md, Uncertainty",
                "Embodied emissions: Cloud Carbon Footprint coefficients (150 kg CO2e per GPU card), NVIDIA HGX H100 PCF (164 kg per H100); 4-year life"));
    }

    /** One row per job and one for the total, with every figure and its ends. */
    public String csv() {
        StringBuilder b = new StringBuilder("tenant,month,job,name,model,batches,facility_kwh,facility_kwh_low,facility_kwh_high,"
                + "location_based_kgco2e,location_based_kgco2e_low,location_based_kgco2e_high,market_based_kgco2e,"
                + "market_based_kgco2e_low,market_based_kgco2e_high,market_based_share_at_location_intensity,"
                + "embodied_kgco2e,embodied_kgco2e_low,embodied_kgco2e_high,instruments,energy_measured_share,"
                + "energy_modeled_share,energy_declared_share,co2e_static_intensity_share\n");
        for (Line l : jobs) {
            line(b, l, l.jobId());
        }
        if (total != null) {
            line(b, total, "TOTAL");
        }
        return b.toString();
    }

    private void line(StringBuilder b, Line l, String job) {
        List<Object> cells = List.of(tenant, month, job, text(l.name()), text(l.model()), l.batches(), l.facilityEnergyKWh(),
                l.facilityEnergyKWhBounds().low(), l.facilityEnergyKWhBounds().high(), l.locationBasedKgCo2e(),
                l.locationBasedKgCo2eBounds().low(), l.locationBasedKgCo2eBounds().high(), l.marketBasedKgCo2e(),
                l.marketBasedKgCo2eBounds().low(), l.marketBasedKgCo2eBounds().high(), text(l.locationFallbackShare()),
                l.embodiedKgCo2e(), l.embodiedKgCo2eBounds().low(), l.embodiedKgCo2eBounds().high(),
                String.join(" ", l.instruments()), text(l.energyShare().get(EnergyMethod.MEASURED)),
                text(l.energyShare().get(EnergyMethod.MODELED)), text(l.energyShare().get(EnergyMethod.DECLARED)),
                text(l.co2eShare().get(IntensityBasis.STATIC)));
        for (int i = 0; i < cells.size(); i++) {
            Object c = cells.get(i);
            String v = c instanceof BigDecimal d ? d.toPlainString() : String.valueOf(c);
            b.append(i == 0 ? "" : ",").append(v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
        }
        b.append('\n');
    }

    private static String text(Object o) {
        return o == null ? "" : o instanceof BigDecimal d ? d.toPlainString() : o.toString();
    }

    /** A section to paste into a sustainability report. */
    public String markdown() {
        StringBuilder b = new StringBuilder("## Scope 2 emissions of tenant " + tenant + ", " + month + "\n\n");
        if (total == null) {
            return b.append("No batch of this tenant ran in ").append(month).append(".\n").toString();
        }
        b.append(jobs.size()).append(" job(s), ").append(total.batches()).append(" batches, ")
                .append(plain(total.facilityEnergyKWh(), 3)).append(" kWh of facility energy (")
                .append(range(total.facilityEnergyKWhBounds(), 3)).append("). Scope 2, location-based: ")
                .append(plain(total.locationBasedKgCo2e(), 3)).append(" kgCO2e (").append(range(total.locationBasedKgCo2eBounds(), 3))
                .append("); market-based: ").append(plain(total.marketBasedKgCo2e(), 3)).append(" kgCO2e (")
                .append(range(total.marketBasedKgCo2eBounds(), 3)).append(")");
        if (total.locationFallbackShare() != null && total.locationFallbackShare().signum() > 0) {
            b.append(", of which ").append(percent(total.locationFallbackShare()))
                    .append(" was charged location-based for want of a residual mix");
        }
        b.append(". Embodied emissions, not Scope 2: ").append(plain(total.embodiedKgCo2e(), 3)).append(" kgCO2e (")
                .append(range(total.embodiedKgCo2eBounds(), 3)).append(").\n\n")
                .append("| job | batches | facility kWh | location-based kgCO2e | market-based kgCO2e | embodied kgCO2e | energy measured | CO2e at static intensity |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (Line l : jobs) {
            row(b, (l.name() == null ? "" : l.name() + " ") + "`" + l.jobId() + "`", l);
        }
        row(b, "**total**", total);
        b.append("\nContractual instruments: ").append(instruments.isEmpty() ? "none" : String.join(", ", instruments))
                .append(".\n\nMethod: ").append(METHOD).append("\n\nSources:\n");
        sources.forEach(s -> b.append("- ").append(s).append('\n'));
        return b.toString();
    }

    private static void row(StringBuilder b, String label, Line l) {
        b.append("| ").append(label).append(" | ").append(l.batches()).append(" | ").append(plain(l.facilityEnergyKWh(), 6))
                .append(" | ").append(plain(l.locationBasedKgCo2e(), 6)).append(" (").append(range(l.locationBasedKgCo2eBounds(), 6))
                .append(") | ").append(plain(l.marketBasedKgCo2e(), 6)).append(" (").append(range(l.marketBasedKgCo2eBounds(), 6))
                .append(") | ").append(plain(l.embodiedKgCo2e(), 6)).append(" | ")
                .append(percent(l.energyShare().getOrDefault(EnergyMethod.MEASURED, BigDecimal.ZERO))).append(" | ")
                .append(percent(l.co2eShare().getOrDefault(IntensityBasis.STATIC, BigDecimal.ZERO))).append(" |\n");
    }

    private static Bounds kWh(Bounds joules) {
        return new Bounds(Carbon.kWh(joules.low()), Carbon.kWh(joules.high()));
    }

    private static BigDecimal kg(BigDecimal grams) {
        return grams.movePointLeft(3);
    }

    private static Bounds kg(Bounds grams) {
        return new Bounds(kg(grams.low()), kg(grams.high()));
    }

    private static String range(Bounds b, int scale) {
        return plain(b.low(), scale) + " to " + plain(b.high(), scale);
    }

    private static String percent(BigDecimal share) {
        return plain(share.movePointRight(2), 2) + " %";
    }

    private static String plain(BigDecimal v, int scale) {
        return v == null ? "n/a" : v.setScale(scale, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
}
