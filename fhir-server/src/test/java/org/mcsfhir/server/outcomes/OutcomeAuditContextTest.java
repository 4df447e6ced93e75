package org.mcsfhir.server.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.testsupport.MeasureReports.group;
import static org.mcsfhir.testsupport.MeasureReports.population;
import static org.mcsfhir.testsupport.MeasureReports.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mcsfhir.server.tier.ContextTest;
import org.mcsfhir.server.tier.ExampleCase;

/**
 * {@code Measure/$audit} over the server's stored records: two insertions written on a day no other context test uses
 * are counted in the insertions report of that day, and a bad parameter is a 4xx naming it.
 */
class OutcomeAuditContextTest extends ContextTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** No other context test writes an insertion on this day. */
    private static final String DAY = "1999-04-21";

    private static final String YEAR_2012 = "periodStart=2012-01-01&periodEnd=2012-12-31";

    @Test
    void insertionsOfTheDay_areCountedInTheInsertionsReport() throws Exception {
        ExampleCase.store(fhirBase(), "audit-a", Instant.parse(DAY + "T08:00:00Z"));
        ExampleCase.store(fhirBase(), "audit-b", Instant.parse(DAY + "T15:00:00Z"));

        Response response = fhir().queryParam(AuditParameters.PERIOD_START, DAY)
                .queryParam(AuditParameters.PERIOD_END, DAY)
                .get("/Measure/" + OutcomeAuditProvider.OPERATION);

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        JsonNode bundle = JSON.readTree(response.asString());
        assertThat(bundle.get("resourceType").asText()).isEqualTo("Bundle");
        JsonNode insertions = group(report(bundle, "mcs-audit-insertions"), "insertions");
        assertThat(population(insertions, "initial-population")).isEqualTo(2);
    }

    /** Each refusal names the parameter; moved down from OutcomeAuditIT, as no database is reached. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiterString = " ; ",
            value = {
                "missing periodStart ; periodEnd=2012-12-31 ; 400 ; MCS-1001 ; periodStart",
                "malformed date ; periodStart=2012-13-45&periodEnd=2012-12-31 ; 400 ; MCS-1002 ; periodStart",
                "a word for a date ; periodStart=yesterday&periodEnd=2012-12-31 ; 400 ; MCS-1002 ; periodStart",
                "end before start ; periodStart=2013-01-01&periodEnd=2012-12-31 ; 400 ; MCS-1003 ; periodEnd",
                "malformed reference date ; " + YEAR_2012 + "&referenceDate=2013 ; 400 ; MCS-1002 ; referenceDate",
                "centre not an Organization ; " + YEAR_2012 + "&centre=Patient/123 ; 400 ; MCS-1004 ; centre",
                "unknown centre ; " + YEAR_2012 + "&centre=Organization/no-such ; 404 ; MCS-1005 ; centre",
                "filter value outside its strata ; " + YEAR_2012 + "&ageBand=40-49 ; 400 ; MCS-1021 ; ageBand",
            })
    void badParameters_areRefusedNamingTheParameter(
            String what, String query, int status, String code, String parameter) {
        RequestSpecification request = fhir();
        for (String pair : query.split("&")) {
            request.queryParam(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        Response response = request.get("/Measure/" + OutcomeAuditProvider.OPERATION);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.jsonPath().getString("resourceType")).isEqualTo("OperationOutcome");
        assertThat(response.jsonPath().getString("issue[0].diagnostics")).contains(code);
        assertThat(response.jsonPath().getString("issue[0].expression[0]")).isEqualTo(parameter);
    }
}
