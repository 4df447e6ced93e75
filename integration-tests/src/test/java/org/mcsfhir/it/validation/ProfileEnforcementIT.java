package org.mcsfhir.it.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.mcsfhir.it.support.TestServer.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mcsfhir.it.support.Fixtures;
import org.mcsfhir.it.support.Guide;

/** Bad clinical data never gets in; good data does. Over HTTP, against the running jar. */
class ProfileEnforcementIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void storeTheGuideExamples() {
        fhir().body(Guide.examplesAsTransaction()).post("/").then().statusCode(200);
    }

    @Test
    void everyGuideExampleIsAccepted() {
        JsonPath response = fhir().body(Guide.examplesAsTransaction()).post("/").then().statusCode(200)
                .extract().jsonPath();
        List<String> statuses = response.getList("entry.response.status");
        assertThat(statuses).isNotEmpty().allSatisfy(status -> assertThat(status).matches("20[01].*"));
    }

    static Stream<Guide.Fixture> fixtures() {
        return Guide.mustFailFixtures().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void mustFailFixtureIsRejectedWith422NamingTheElement(Guide.Fixture fixture) {
        String json = Guide.read(fixture.file());
        JsonPath resource = JsonPath.from(json);
        String path = "/" + resource.getString("resourceType") + "/" + resource.getString("id");
        String versionBefore = fhir().get(path).then().extract().path("meta.versionId");

        Response response = fhir().body(json).put(path);

        response.then().statusCode(422).body("resourceType", equalTo("OperationOutcome"));
        List<String> expressions = response.jsonPath().getList("issue.expression.flatten()");
        List<String> diagnostics = response.jsonPath().getList("issue.diagnostics");
        if (resource.getString("resourceType").equals("Bundle") && fixture.location().equals("Bundle.type")) {
            // HAPI itself refuses to store a Bundle of a transactional type, before any profile is consulted
            assertThat(diagnostics).anySatisfy(d -> assertThat(d).contains("Bundle.type"));
        } else {
            assertThat(expressions).as("expressions in the OperationOutcome").contains(fixture.location());
            assertThat(diagnostics).anySatisfy(d -> assertThat(d).startsWith("MCS-0422").contains(fixture.message()));
        }
        // nothing changed: the stored version (if any) is the one from before
        String versionAfter = fhir().get(path).then().extract().path("meta.versionId");
        assertThat(versionAfter).isEqualTo(versionBefore);
    }

    @Test
    void insertionWithoutDeclaredProfileIsStillValidated() throws Exception {
        // an EHR leaves meta.profile out and forgets the access site: the code still marks it as a pump insertion
        ObjectNode insertion = (ObjectNode) JSON.readTree(Guide.read(example("Procedure-mcs-example-insertion-1.json")));
        insertion.remove("meta");
        insertion.remove("bodySite");
        insertion.remove("id");

        fhir().body(JSON.writeValueAsString(insertion)).post("/Procedure")
                .then().statusCode(422)
                .body("issue.find { it.severity == 'error' && it.diagnostics.contains('Procedure.bodySite') }.expression",
                        org.hamcrest.Matchers.hasItem("Procedure"))
                .body("issue.find { it.diagnostics.contains('Procedure.bodySite') }.diagnostics",
                        org.hamcrest.Matchers.containsString("minimum required = 1"));
    }

    @Test
    void transactionWithOneNonConformingEntryStoresNothing() {
        String marker = Fixtures.uniqueValue();
        String goodPatient = Fixtures.patient(marker, "Atomic");
        String badTelemetry = Guide.read(Guide.mustFailFixtures().stream()
                .filter(f -> f.profile().equals("mcs-pump-telemetry"))
                .findFirst().orElseThrow().file());
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":%s,"request":{"method":"POST","url":"Patient"}},
                  {"resource":%s,"request":{"method":"POST","url":"Observation"}}
                ]}""".formatted(goodPatient, badTelemetry.replaceFirst("\"id\"\\s*:\\s*\"[^\"]*\"\\s*,", ""));

        fhir().body(bundle).post("/").then().statusCode(422).body("resourceType", equalTo("OperationOutcome"));
        fhir().queryParam("identifier", Fixtures.TEST_SYSTEM + "|" + marker).queryParam("_summary", "count")
                .get("/Patient").then().body("total", equalTo(0));
    }

    private static java.nio.file.Path example(String fileName) {
        return Guide.examples().stream()
                .filter(p -> p.getFileName().toString().equals(fileName))
                .findFirst()
                .orElseThrow();
    }
}
