package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.StringType;
import org.mcsfhir.server.cases.CaseRow;
import org.mcsfhir.server.registry.Pseudonymiser;
import org.mcsfhir.server.registry.RegistryAccess;
import org.mcsfhir.server.security.AccessRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET [base]/Measure/$audit-dataset}: the analysis dataset behind the outcome audit, one row per insertion of
 * the period ({@code $audit}'s cohort, same parameters and errors), as CSV or NDJSON for R, Stata or pandas. Rows come
 * from the case table (one indexed query), not from the resources. Pseudonymised with the registry's
 * {@link Pseudonymiser} when asked or when {@link RegistryAccess} says the caller may not see identifiable data.
 */
class AuditDatasetProvider {

    private static final Logger LOG = LoggerFactory.getLogger(AuditDatasetProvider.class);

    static final String OPERATION = AccessRules.AUDIT_DATASET;
    static final String PSEUDONYMISE = "pseudonymise";

    private final AuditCohortLoader cohort;
    private final Pseudonymiser pseudonymiser;
    private final RegistryAccess access;
    private final DaoRegistry daos;

    AuditDatasetProvider(
            AuditCohortLoader cohort, Pseudonymiser pseudonymiser, RegistryAccess access, DaoRegistry daos) {
        this.cohort = cohort;
        this.pseudonymiser = pseudonymiser;
        this.access = access;
        this.daos = daos;
    }

    // written to the servlet response directly: CSV and NDJSON are not FHIR resources
    @Operation(name = OPERATION, type = Measure.class, idempotent = true, manualResponse = true)
    @Description(
            shortDefinition = "One row per pump insertion of the period (the audit's cohort), CSV or NDJSON; "
                    + "columns in docs/outcomes.md")
    public void dataset(
            @Description(shortDefinition = "First day of the period (YYYY-MM-DD, inclusive)")
                    @OperationParam(name = AuditParameters.PERIOD_START, min = 0, max = 1)
                    StringType periodStart,
            @Description(shortDefinition = "Last day of the period (YYYY-MM-DD, inclusive)")
                    @OperationParam(name = AuditParameters.PERIOD_END, min = 0, max = 1)
                    StringType periodEnd,
            @Description(shortDefinition = "One implanting centre, Organization/<id>; absent: every centre")
                    @OperationParam(name = AuditParameters.CENTRE, min = 0, max = 1)
                    StringType centre,
            @Description(
                            shortDefinition = "true: pseudonymised as $registry-case (always so for a registry "
                                    + "without the identifiable-data grant)")
                    @OperationParam(name = PSEUDONYMISE, min = 0, max = 1)
                    BooleanType pseudonymise,
            RequestDetails request,
            HttpServletResponse response)
            throws IOException {
        AuditParameters parameters = AuditParameters.parse(periodStart, periodEnd, centre, daos);
        AuditDatasetFormat format = AuditDatasetFormat.of(request);
        boolean pseudonymised = (pseudonymise != null && Boolean.TRUE.equals(pseudonymise.getValue()))
                || access.mustPseudonymise(request);
        long started = System.nanoTime();
        List<CaseRow> rows = cohort.rows(parameters.start(), parameters.end(), parameters.centre());
        List<Map<String, Object>> dataset = rows.stream()
                .map(row -> AuditDatasetRow.of(row, pseudonymised ? pseudonymiser : null))
                .toList();
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(format.contentType);
        response.setCharacterEncoding("UTF-8");
        try (Writer out = response.getWriter()) {
            format.write(dataset, AuditDatasetRow.COLUMNS, out);
        }
        LOG.info(
                "$audit-dataset {}..{} centre {}: {} rows ({}, {}) in {} ms",
                parameters.start(),
                parameters.end(),
                parameters.centre() == null ? "all" : parameters.centre(),
                dataset.size(),
                format,
                pseudonymised ? "pseudonymised" : "identifiable",
                (System.nanoTime() - started) / 1_000_000);
    }
}
