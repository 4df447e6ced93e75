package org.mcsfhir.it.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.it.support.TestServer.fhir;

import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.CentreGroups;
import org.mcsfhir.testsupport.GuideSources;

/** One Group per implanting centre, kept current as patients are written and moved. */
class CentreGroupsIT {

    @BeforeAll
    static void storeTheGuideExamples() {
        fhir().body(GuideSources.examplesAsTransaction()).post("/").then().statusCode(200);
    }

    @Test
    void centreGroupFollowsThePatientWhenItsCentreChanges() throws InterruptedException {
        String moved = GuideSources.read(GuideSources.example("Patient-mcs-example-patient-2.json"))
                .replace("\"id\": \"mcs-example-patient-2\"", "\"id\": \"mcs-it-moving-patient\"")
                .replace("9990000026", "9990000034");
        fhir().body(moved).put("/Patient/mcs-it-moving-patient").then().statusCode(201);
        CentreGroups.awaitMember("mcs-centre-mcs-example-centre-2", "Patient/mcs-it-moving-patient");

        fhir().body(moved.replace("Organization/mcs-example-centre-2", "Organization/mcs-example-centre-1"))
                .put("/Patient/mcs-it-moving-patient")
                .then()
                .statusCode(200);
        CentreGroups.awaitMember("mcs-centre-mcs-example-centre-1", "Patient/mcs-it-moving-patient");
        assertThat(CentreGroups.members("mcs-centre-mcs-example-centre-2"))
                .doesNotContain("Patient/mcs-it-moving-patient");
    }

    @Test
    void aPatientInACentreGroupCanBeDeletedAndLeavesTheGroup() throws InterruptedException {
        String leaving = GuideSources.read(GuideSources.example("Patient-mcs-example-patient-2.json"))
                .replace("\"id\": \"mcs-example-patient-2\"", "\"id\": \"mcs-it-leaving-patient\"")
                .replace("9990000026", "9990000042");
        fhir().body(leaving).put("/Patient/mcs-it-leaving-patient").then().statusCode(201);
        CentreGroups.awaitMember("mcs-centre-mcs-example-centre-2", "Patient/mcs-it-leaving-patient");

        fhir().delete("/Patient/mcs-it-leaving-patient").then().statusCode(200);

        fhir().get("/Patient/mcs-it-leaving-patient").then().statusCode(410);
        assertThat(CentreGroups.members("mcs-centre-mcs-example-centre-2"))
                .doesNotContain("Patient/mcs-it-leaving-patient")
                .contains("Patient/mcs-example-patient-2");
    }

    @Test
    void clientWriteOfACentreGroup_isRefusedWith422() {
        Response refused = fhir().body("""
                {"resourceType":"Group","id":"mcs-centre-forged","type":"person","actual":true,
                 "member":[{"entity":{"reference":"Patient/mcs-example-patient-1"}}]}""").put("/Group/mcs-centre-forged");

        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(422);
        assertThat(refused.jsonPath().getString("issue[0].diagnostics")).startsWith("MCS-0821");
        fhir().get("/Group/mcs-centre-forged").then().statusCode(404);
    }
}
