package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.mcsfhir.server.errors.ClientErrors;
import org.mcsfhir.server.security.AccessRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET [base]/Measure/$audit-charts}: the series the governance dashboard draws and {@code $audit} does not
 * return — Kaplan–Meier curves to one year, funnel plots of centres and per-centre VLAD / CUSUM charts — computed on
 * the server from the audit cohort (OperationDefinition {@code mcs-audit-charts}, docs/outcomes.md). Same period,
 * centre and reference date parameters and errors as {@code $audit}, plus a stratifier for the curves and the
 * sex / age band / pregnancy filters of {@link AuditFilter}, and {@code chart} to ask for some of the charts only.
 *
 * <p>Who may ask for which centre is decided by the security feature before this runs, as for {@code $audit}. The
 * national figures (rates, limits, expected risks) need every centre's insertions, so the whole period is loaded and
 * only aggregates of other centres are used; per-centre points are given for the asked centre only.
 */
class AuditChartsProvider {

    private static final Logger LOG = LoggerFactory.getLogger(AuditChartsProvider.class);

    static final String OPERATION = AccessRules.AUDIT_CHARTS;
    static final String STRATIFIER = "stratifier";
    static final String CHART = "chart";

    private final AuditCohortLoader loader;
    private final AuditChartsWriter writer;
    private final DaoRegistry daos;
    private final Clock clock;

    AuditChartsProvider(AuditCohortLoader loader, AuditChartsWriter writer, DaoRegistry daos, Clock clock) {
        this.loader = loader;
        this.writer = writer;
        this.daos = daos;
        this.clock = clock;
    }

    // periodStart/periodEnd are required but declared 0..1, as for $audit, so a missing one gets MCS-1001
    @Operation(name = OPERATION, type = Measure.class, idempotent = true)
    @Description(
            shortDefinition = "Chart series of the outcome audit: Kaplan-Meier curves, funnel plots of 30-day "
                    + "mortality and complications per centre, VLAD and risk-adjusted CUSUM per centre; a Parameters")
    public Parameters charts(
            @Description(shortDefinition = "First day of the period (YYYY-MM-DD, inclusive)")
                    @OperationParam(name = AuditParameters.PERIOD_START, min = 0, max = 1)
                    StringType periodStart,
            @Description(shortDefinition = "Last day of the period (YYYY-MM-DD, inclusive)")
                    @OperationParam(name = AuditParameters.PERIOD_END, min = 0, max = 1)
                    StringType periodEnd,
            @Description(shortDefinition = "One implanting centre, Organization/<id>; absent: every centre")
                    @OperationParam(name = AuditParameters.CENTRE, min = 0, max = 1)
                    StringType centre,
            @Description(shortDefinition = "Follow-up is counted up to this day (YYYY-MM-DD); default today (UTC)")
                    @OperationParam(name = AuditParameters.REFERENCE_DATE, min = 0, max = 1)
                    StringType referenceDate,
            @Description(shortDefinition = "Also a survival curve per stratum of this $audit stratifier")
                    @OperationParam(name = STRATIFIER, min = 0, max = 1)
                    StringType stratifier,
            @Description(shortDefinition = "Only insertions of this sex stratum (female, male, other, unknown)")
                    @OperationParam(name = AuditFilter.SEX, min = 0, max = 1)
                    StringType sex,
            @Description(shortDefinition = "Only insertions of this age band (under-50, 50-64, 65-74, 75-and-over)")
                    @OperationParam(name = AuditFilter.AGE_BAND, min = 0, max = 1)
                    StringType ageBand,
            @Description(shortDefinition = "Only insertions of this pregnancy-status stratum")
                    @OperationParam(name = AuditFilter.PREGNANCY, min = 0, max = 1)
                    StringType pregnancy,
            @Description(
                            shortDefinition =
                                    "Only these charts (survival, funnel, safety; repeated or comma-separated);"
                                            + " absent: all")
                    @OperationParam(name = CHART, min = 0, max = OperationParam.MAX_UNLIMITED)
                    List<StringType> chart) {
        AuditParameters parameters = AuditParameters.parse(periodStart, periodEnd, centre, daos);
        LocalDate reference = AuditParameters.referenceDate(referenceDate, clock);
        String by = stratifier(stratifier);
        AuditFilter filter = AuditFilter.parse(sex, ageBand, pregnancy);
        Set<String> charts = charts(chart);
        long started = System.nanoTime();
        List<AuditCase> national = filter.apply(loader.load(parameters.start(), parameters.end(), null, reference));
        String centreRef = parameters.centre();
        List<AuditCase> cohort = centreRef == null
                ? national
                : national.stream().filter(c -> centreRef.equals(c.centre())).toList();
        long loaded = System.nanoTime();
        Parameters answer = writer.write(national, cohort, by, charts);
        LOG.info(
                "$audit-charts {}..{} centre {} {}: {} of {} insertions loaded in {} ms, charts in {} ms",
                parameters.start(),
                parameters.end(),
                centreRef == null ? "all" : centreRef,
                charts,
                cohort.size(),
                national.size(),
                (loaded - started) / 1_000_000,
                (System.nanoTime() - loaded) / 1_000_000);
        return answer;
    }

    /** The charts asked for (repeated or comma-separated), every chart when none is; 400 MCS-1022 for another. */
    private static Set<String> charts(List<StringType> values) {
        Set<String> charts = new TreeSet<>();
        for (StringType value : values == null ? List.<StringType>of() : values) {
            for (String name :
                    value.isEmpty() ? new String[0] : value.getValue().split(",")) {
                String text = name.trim();
                if (text.isEmpty()) {
                    continue;
                }
                if (!AuditChartsWriter.CHARTS.contains(text)) {
                    throw ClientErrors.invalid(
                            "MCS-1022: chart '" + text + "' is not one of " + AuditChartsWriter.CHARTS, CHART);
                }
                charts.add(text);
            }
        }
        return charts.isEmpty() ? Set.copyOf(AuditChartsWriter.CHARTS) : charts;
    }

    /** A stratifier of {@code $audit}, or null; 400 MCS-1020 for another value. */
    private static String stratifier(StringType value) {
        if (value == null || value.isEmpty() || value.getValue().isBlank()) {
            return null;
        }
        String text = value.getValue().trim();
        if (!Stratification.STRATIFIERS.containsKey(text)) {
            throw ClientErrors.invalid(
                    "MCS-1020: stratifier '" + text + "' is not one of " + Stratification.STRATIFIERS.keySet(),
                    STRATIFIER);
        }
        return text;
    }
}
