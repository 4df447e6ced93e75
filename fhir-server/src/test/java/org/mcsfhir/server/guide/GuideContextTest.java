package org.mcsfhir.server.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.tier.ContextTest;

/**
 * The guide as the server installs it at start-up: its profiles and code systems are stored and searchable by
 * canonical URL, its terminology answers, and its content cannot be changed or deleted through the API.
 */
class GuideContextTest extends ContextTest {

    private static final String PATIENT_PROFILE = GuideCodes.BASE + "StructureDefinition/mcs-patient";
    private static final String WORKLIST_ITEMS = GuideCodes.BASE + "CodeSystem/mcs-worklist-item-cs";

    @Test
    void theGuidesProfilesAndCodeSystems_areInstalled() {
        fhir().queryParam("url", PATIENT_PROFILE)
                .get("/StructureDefinition")
                .then()
                .statusCode(200)
                .body("entry.size()", equalTo(1))
                .body("entry[0].resource.type", equalTo("Patient"));
        fhir().queryParam("url", WORKLIST_ITEMS)
                .get("/CodeSystem")
                .then()
                .statusCode(200)
                .body("entry.size()", equalTo(1));
    }

    @Test
    void theGuidesTerminology_answersLookups() {
        fhir().queryParam("system", WORKLIST_ITEMS)
                .queryParam("code", "missing-consent")
                .get("/CodeSystem/$lookup")
                .then()
                .statusCode(200)
                .body("resourceType", equalTo("Parameters"));
    }

    @Test
    void guideContent_cannotBeChangedThroughTheApi() {
        String id = fhir().queryParam("url", WORKLIST_ITEMS)
                .get("/CodeSystem")
                .then()
                .statusCode(200)
                .extract()
                .path("entry[0].resource.id");
        String stored =
                fhir().get("/CodeSystem/" + id).then().statusCode(200).extract().asString();

        Response update = fhir().body(stored.replace("\"status\":\"active\"", "\"status\":\"retired\""))
                .put("/CodeSystem/" + id);
        assertThat(update.statusCode()).as(update.asString()).isEqualTo(422);
        assertThat(update.jsonPath().getString("issue[0].diagnostics")).startsWith("MCS-0470");
        fhir().delete("/CodeSystem/" + id).then().statusCode(422).body("issue[0].diagnostics", startsWith("MCS-0470"));
    }
}
