package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.StringType;
import org.mcsfhir.server.security.AccessRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET [base]/Measure/$audit}: the HTG775 outcome audit of the pump insertions performed in a period, for every
 * centre or one, as MeasureReports computed on request (nothing is stored). The OperationDefinition is the guide's
 * {@code mcs-audit}; docs/outcomes.md explains every figure.
 *
 * <p>Who may call it, and for which centre, is the security feature's concern: its rules see the operation name and
 * the {@code centre} parameter before this method runs (a caller restricted to one centre must name it).
 */
class OutcomeAuditProvider {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeAuditProvider.class);

    static final String OPERATION = AccessRules.AUDIT;

    private final AuditCohortLoader loader;
    private final MeasureReportWriter writer;
    private final DaoRegistry daos;
    private final Clock clock;

    OutcomeAuditProvider(AuditCohortLoader loader, MeasureReportWriter writer, DaoRegistry daos, Clock clock) {
        this.loader = loader;
        this.writer = writer;
        this.daos = daos;
        this.clock = clock;
    }

    // periodStart/periodEnd are required (the guide's OperationDefinition says 1..1); declared 0..1 here so that a
    // missing one reaches this method and gets the MCS-1001 OperationOutcome rather than a generic message
    @Operation(name = OPERATION, type = Measure.class, idempotent = true)
    @Description(
            shortDefinition = "HTG775 outcome audit: insertions, Kaplan-Meier survival, complications, support "
                    + "outcome, quality of life and completeness, stratified; a Bundle of MeasureReports")
    public Bundle audit(
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
            @Description(shortDefinition = "Only insertions of this sex stratum (female, male, other, unknown)")
                    @OperationParam(name = AuditFilter.SEX, min = 0, max = 1)
                    StringType sex,
            @Description(shortDefinition = "Only insertions of this age band (under-50, 50-64, 65-74, 75-and-over)")
                    @OperationParam(name = AuditFilter.AGE_BAND, min = 0, max = 1)
                    StringType ageBand,
            @Description(shortDefinition = "Only insertions of this pregnancy-status stratum")
                    @OperationParam(name = AuditFilter.PREGNANCY, min = 0, max = 1)
                    StringType pregnancy) {
        AuditParameters parameters = AuditParameters.parse(periodStart, periodEnd, centre, daos);
        LocalDate start = parameters.start();
        LocalDate end = parameters.end();
        LocalDate reference = AuditParameters.referenceDate(referenceDate, clock);
        AuditFilter filter = AuditFilter.parse(sex, ageBand, pregnancy);
        String centreRef = parameters.centre();
        long started = System.nanoTime();
        List<AuditCase> cases = filter.apply(loader.load(start, end, centreRef, reference));
        long loaded = System.nanoTime();
        Bundle reports = writer.write(cases, start, end, centreRef, reference);
        LOG.info(
                "$audit {}..{} centre {}: {} insertions loaded in {} ms, reports computed in {} ms",
                start,
                end,
                centreRef == null ? "all" : centreRef,
                cases.size(),
                (loaded - started) / 1_000_000,
                (System.nanoTime() - loaded) / 1_000_000);
        return reports;
    }
}
