package org.mcsfhir.server.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.testsupport.MeasureReports.group;
import static org.mcsfhir.testsupport.MeasureReports.population;
import static org.mcsfhir.testsupport.MeasureReports.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.tier.ContextTest;
import org.mcsfhir.server.tier.ExampleCase;

/**
 * {@code Measure/$audit} over the server's stored records: two insertions written on a day no other context test uses
 * are counted in the insertions report of that day, and a missing period is a 400 naming the parameter.
 */
class OutcomeAuditContextTest extends ContextTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** No other context test writes an insertion on this day. */
    private static final String DAY = "1999-04-21";

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

    @Test
    void missingPeriodStart_is400NamingIt() {
        Response response =
                fhir().queryParam(AuditParameters.PERIOD_END, DAY).get("/Measure/" + OutcomeAuditProvider.OPERATION);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getString("resourceType")).isEqualTo("OperationOutcome");
        assertThat(response.asString()).contains("MCS-1001", AuditParameters.PERIOD_START);
    }
}
