package org.mcsfhir.server.outcomes;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * Writes the dashboard's chart series as one {@code Parameters} resource (OperationDefinition {@code mcs-audit-charts};
 * docs/outcomes.md): {@code survival} curves, {@code funnel} plots, per-centre {@code safety} charts and the cohort
 * size {@code n}. Aggregates only: no insertion or patient id leaves; per-centre figures only for the centres of the
 * cohort (one, when a centre was asked for), while national rates, limits and expected risks are over every centre.
 */
class AuditChartsWriter {

    private static final int SCALE = 4;

    static final String SURVIVAL = "survival";
    static final String FUNNEL = "funnel";
    static final String SAFETY = "safety";
    /** The charts a request may ask for ({@code chart}), in the order they are written. */
    static final List<String> CHARTS = List.of(SURVIVAL, FUNNEL, SAFETY);

    private final int smallCellThreshold;

    AuditChartsWriter(int smallCellThreshold) {
        this.smallCellThreshold = smallCellThreshold;
    }

    /**
     * The chart series of one request, every chart.
     *
     * @param national the filtered insertions of the period in every centre
     * @param cohort the filtered insertions of the centre asked for, or {@code national} when none was
     * @param stratifier one of {@link Stratification#STRATIFIERS}, or null for the overall curve only
     */
    Parameters write(List<AuditCase> national, List<AuditCase> cohort, String stratifier) {
        return write(national, cohort, stratifier, Set.copyOf(CHARTS));
    }

    /**
     * As {@link #write(List, List, String)}, with only the charts named in {@code charts} (of {@link #CHARTS}) and
     * {@code n}: a view that draws one chart need not wait for the others (a centre's safety cases are most of the
     * answer).
     */
    Parameters write(List<AuditCase> national, List<AuditCase> cohort, String stratifier, Set<String> charts) {
        Parameters parameters = new Parameters();
        if (charts.contains(SURVIVAL)) {
            for (SurvivalCurves.Curve curve : SurvivalCurves.of(cohort, stratifier)) {
                survival(parameters.addParameter().setName(SURVIVAL), curve);
            }
        }
        Map<String, List<AuditCase>> centres = CentreComparison.byCentre(cohort);
        if (charts.contains(FUNNEL)) {
            for (CentreComparison.FunnelMeasure measure : CentreComparison.FUNNEL_MEASURES) {
                funnel(parameters.addParameter().setName(FUNNEL), measure, national, centres);
            }
        }
        if (charts.contains(SAFETY)) {
            Map<String, Double> expected = CentreComparison.expectedByStage(national);
            centres.forEach((centre, cases) -> safety(
                    parameters.addParameter().setName(SAFETY), centre, CentreComparison.outcomes(cases, expected)));
        }
        parameters.addParameter().setName("n").setValue(new IntegerType(cohort.size()));
        return parameters;
    }

    private void survival(ParametersParameterComponent p, SurvivalCurves.Curve curve) {
        part(p, "stratifier", new StringType(curve.stratifier()));
        part(p, "stratum", new StringType(curve.stratum()));
        part(p, "n", new IntegerType(curve.n()));
        part(p, "smallCell", new BooleanType(curve.n() < smallCellThreshold));
        for (KaplanMeier.Step step : curve.steps()) {
            ParametersParameterComponent point = p.addPart().setName("point");
            part(point, "day", new IntegerType(step.day()));
            part(point, "survival", decimal(step.survival()));
            part(point, "lower", decimal(step.lower()));
            part(point, "upper", decimal(step.upper()));
            part(point, "atRisk", new IntegerType(step.atRisk()));
            part(point, "events", new IntegerType(step.events()));
            part(point, "censored", new IntegerType(step.censored()));
        }
        curve.atRisk().forEach((day, atRisk) -> {
            ParametersParameterComponent risk = p.addPart().setName("risk");
            part(risk, "day", new IntegerType(day));
            part(risk, "atRisk", new IntegerType(atRisk));
        });
    }

    private void funnel(
            ParametersParameterComponent p,
            CentreComparison.FunnelMeasure measure,
            List<AuditCase> national,
            Map<String, List<AuditCase>> centres) {
        double nationalRate = CentreComparison.rate(national, measure).rate();
        part(p, "measure", new StringType(measure.code()));
        if (!Double.isNaN(nationalRate)) {
            part(p, "nationalRate", decimal(nationalRate));
        }
        part(p, "method", new StringType("exact-binomial"));
        List<Integer> sizes = new ArrayList<>();
        centres.forEach((centre, cases) -> {
            CentreComparison.Rate rate = CentreComparison.rate(cases, measure);
            sizes.add(rate.n());
            ParametersParameterComponent point = p.addPart().setName("centre");
            part(point, "centre", new StringType(centre));
            part(point, "n", new IntegerType(rate.n()));
            part(point, "events", new IntegerType(rate.events()));
            if (rate.n() > 0) {
                part(point, "rate", decimal(rate.rate()));
            }
            part(point, "smallCell", new BooleanType(rate.n() < smallCellThreshold));
            part(
                    point,
                    "outside",
                    new StringType(
                            rate.n() == 0 || Double.isNaN(nationalRate)
                                    ? "none"
                                    : FunnelPlot.outside(rate.rate(), FunnelPlot.limits(nationalRate, rate.n()))));
        });
        if (Double.isNaN(nationalRate)) {
            return; // no insertion counted anywhere: no funnel to draw
        }
        for (int n : FunnelPlot.limitSizes(sizes)) {
            FunnelPlot.Limits limits = FunnelPlot.limits(nationalRate, n);
            ParametersParameterComponent limit = p.addPart().setName("limit");
            part(limit, "n", new IntegerType(n));
            part(limit, "lower95", decimal(limits.lower95()));
            part(limit, "upper95", decimal(limits.upper95()));
            part(limit, "lower998", decimal(limits.lower998()));
            part(limit, "upper998", decimal(limits.upper998()));
        }
    }

    private static void safety(ParametersParameterComponent p, String centre, List<SafetyCharts.Outcome> outcomes) {
        part(p, "centre", new StringType(centre));
        part(p, "threshold", decimal(SafetyCharts.THRESHOLD));
        part(p, "oddsRatio", decimal(SafetyCharts.ODDS_RATIO));
        for (SafetyCharts.Point point : SafetyCharts.chart(outcomes, SafetyCharts.ODDS_RATIO, SafetyCharts.THRESHOLD)) {
            ParametersParameterComponent c = p.addPart().setName("case");
            part(c, "order", new IntegerType(point.order()));
            part(c, "date", new DateType(point.date().toString()));
            part(c, "expected", decimal(point.expected()));
            part(c, "observed", new IntegerType(point.observed()));
            part(c, "vlad", decimal(point.vlad()));
            part(c, "cusum", decimal(point.cusum()));
            part(c, "signal", new BooleanType(point.signal()));
        }
    }

    private static void part(ParametersParameterComponent parent, String name, Type value) {
        parent.addPart().setName(name).setValue(value);
    }

    private static DecimalType decimal(double value) {
        return new DecimalType(BigDecimal.valueOf(value).setScale(SCALE, RoundingMode.HALF_UP));
    }
}
