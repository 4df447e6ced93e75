package org.mcsfhir.server.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

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

    private static JsonNode report(JsonNode bundle, String measureId) {
        for (JsonNode entry : bundle.get("entry")) {
            if (entry.at("/resource/measure").asText().endsWith("/" + measureId)) {
                return entry.get("resource");
            }
        }
        throw new AssertionError("no report for " + measureId);
    }

    private static JsonNode group(JsonNode report, String code) {
        for (JsonNode group : report.get("group")) {
            if (group.at("/code/coding/0/code").asText().equals(code)) {
                return group;
            }
        }
        throw new AssertionError("no group " + code);
    }

    private static int population(JsonNode node, String code) {
        for (JsonNode population : node.get("population")) {
            if (population.at("/code/coding/0/code").asText().equals(code)) {
                return population.get("count").asInt();
            }
        }
        throw new AssertionError("no population " + code);
    }
}
