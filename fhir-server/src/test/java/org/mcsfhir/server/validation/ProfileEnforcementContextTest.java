package org.mcsfhir.server.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.tier.ContextTest;
import org.mcsfhir.server.tier.GuideExamples;

/**
 * Profile enforcement through the server: a resource the guide profiles is validated on write even without a declared
 * profile, refused with 422 and an OperationOutcome naming the element, and nothing of a refused write is stored.
 */
class ProfileEnforcementContextTest extends ContextTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSERTION = "Procedure";
    private static final String INSERTION_ID = "mcs-example-insertion-1";

    @Test
    void insertionWithoutDeclaredProfileOrAccessSite_is422NamingTheElement() throws Exception {
        // an EHR leaves meta.profile out and forgets the access site: the code still marks it as a pump insertion
        ObjectNode insertion = (ObjectNode) JSON.readTree(GuideExamples.json(INSERTION, INSERTION_ID));
        insertion.remove(List.of("meta", "bodySite", "id"));

        fhir().body(JSON.writeValueAsString(insertion)).post("/Procedure")
                .then().statusCode(422)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue.find { it.severity == 'error' && it.diagnostics.contains('Procedure.bodySite') }"
                        + ".expression", hasItem("Procedure"))
                .body("issue.find { it.diagnostics.contains('Procedure.bodySite') }.diagnostics",
                        containsString("minimum required = 1"));
    }

    @Test
    void anInvalidPatient_isRefusedWith422_andNothingIsStored() {
        String marker = UUID.randomUUID().toString();
        String patient = """
                {"resourceType":"Patient",
                 "meta":{"profile":["https://mcs-fhir.org/fhir/StructureDefinition/mcs-patient"]},
                 "identifier":[{"system":"https://mcs-fhir.org/fhir/sid/context-test","value":"%s"}],
                 "gender":"female","birthDate":"not-a-date"}""".formatted(marker);

        Response response = fhir().body(patient).post("/Patient");

        assertThat(response.statusCode()).as(response.asString()).isIn(400, 422);
        assertThat(response.jsonPath().getString("resourceType")).isEqualTo("OperationOutcome");
        List<String> diagnostics = response.jsonPath().getList("issue.diagnostics");
        assertThat(diagnostics).anySatisfy(d -> assertThat(d).contains("birthDate"));
        fhir().queryParam("identifier", "https://mcs-fhir.org/fhir/sid/context-test|" + marker)
                .queryParam("_summary", "count").get("/Patient").then().body("total", equalTo(0));
    }

    @Test
    void theGuideExamples_areAccepted() {
        GuideExamples.storeOn(fhirBase());
        fhir().get("/Procedure/" + INSERTION_ID).then().statusCode(200)
                .body("meta.profile[0]", containsString("mcs-"));
    }
}
