package org.mcsfhir.server.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mcsfhir.server.tier.ContextTest;
import org.mcsfhir.testsupport.Fixtures;
import org.mcsfhir.testsupport.GuideSources;

/**
 * Bad clinical data never gets in; good data does. Over HTTP, against the context's server; moved down from the
 * packaged-jar ITs (ProfileEnforcementIT): validation on write does not depend on the process or the database (a
 * transaction's rollback on each database stays covered by TransactionIT).
 */
class ProfileEnforcementContextTest extends ContextTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void storeTheGuideExamples() {
        fhir().body(GuideSources.examplesAsTransaction()).post("/").then().statusCode(200);
    }

    @Test
    void everyGuideExampleIsAccepted() {
        JsonPath response = fhir().body(GuideSources.examplesAsTransaction())
                .post("/")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<String> statuses = response.getList("entry.response.status");
        assertThat(statuses)
                .isNotEmpty()
                .allSatisfy(status -> assertThat(status).matches("20[01].*"));
    }

    static Stream<GuideSources.Fixture> fixtures() {
        return GuideSources.mustFailFixtures().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void mustFailFixtureIsRejectedWith422NamingTheElement(GuideSources.Fixture fixture) {
        String json = GuideSources.read(fixture.file());
        JsonPath resource = JsonPath.from(json);
        String path = "/" + resource.getString("resourceType") + "/" + resource.getString("id");
        String versionBefore = fhir().get(path).then().extract().path("meta.versionId");

        Response response = fhir().body(json).put(path);

        response.then().statusCode(422).body("resourceType", equalTo("OperationOutcome"));
        List<String> expressions = response.jsonPath().getList("issue.expression.flatten()");
        List<String> diagnostics = response.jsonPath().getList("issue.diagnostics");
        if (resource.getString("resourceType").equals("Bundle")
                && fixture.location().equals("Bundle.type")) {
            // HAPI itself refuses to store a Bundle of a transactional type, before any profile is consulted
            assertThat(diagnostics).anySatisfy(d -> assertThat(d).contains("Bundle.type"));
        } else {
            assertThat(expressions).as("expressions in the OperationOutcome").contains(fixture.location());
            assertThat(diagnostics)
                    .anySatisfy(d -> assertThat(d).startsWith("MCS-0422").contains(fixture.message()));
        }
        // nothing changed: the stored version (if any) is the one from before
        String versionAfter = fhir().get(path).then().extract().path("meta.versionId");
        assertThat(versionAfter).isEqualTo(versionBefore);
    }

    @Test
    void insertionWithoutDeclaredProfileIsStillValidated() throws Exception {
        // an EHR leaves meta.profile out and forgets the access site: the code still marks it as a pump insertion
        ObjectNode insertion =
                (ObjectNode) JSON.readTree(GuideSources.read(example("Procedure-mcs-example-insertion-1.json")));
        insertion.remove("meta");
        insertion.remove("bodySite");
        insertion.remove("id");

        fhir().body(JSON.writeValueAsString(insertion))
                .post("/Procedure")
                .then()
                .statusCode(422)
                .body(
                        "issue.find { it.severity == 'error' && it.diagnostics.contains('Procedure.bodySite') }"
                                + ".expression",
                        hasItem("Procedure"))
                .body(
                        "issue.find { it.diagnostics.contains('Procedure.bodySite') }.diagnostics",
                        containsString("minimum required = 1"));
    }

    @Test
    void transactionWithOneNonConformingEntryStoresNothing() {
        String marker = Fixtures.uniqueValue();
        String goodPatient = Fixtures.patient(marker, "Atomic");
        String badTelemetry = GuideSources.read(GuideSources.mustFailFixtures().stream()
                .filter(f -> f.profile().equals("mcs-pump-telemetry"))
                .findFirst()
                .orElseThrow()
                .file());
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":%s,"request":{"method":"POST","url":"Patient"}},
                  {"resource":%s,"request":{"method":"POST","url":"Observation"}}
                ]}""".formatted(goodPatient, badTelemetry.replaceFirst("\"id\"\\s*:\\s*\"[^\"]*\"\\s*,", ""));

        fhir().body(bundle).post("/").then().statusCode(422).body("resourceType", equalTo("OperationOutcome"));
        fhir().queryParam("identifier", Fixtures.TEST_SYSTEM + "|" + marker)
                .queryParam("_summary", "count")
                .get("/Patient")
                .then()
                .body("total", equalTo(0));
    }

    @Test
    void anInvalidPatient_isRefused_andNothingIsStored() {
        String marker = Fixtures.uniqueValue();
        String patient = """
                {"resourceType":"Patient",
                 "meta":{"profile":["https://mcs-fhir.org/fhir/StructureDefinition/mcs-patient"]},
                 "identifier":[{"system":"%s","value":"%s"}],
                 "gender":"female","birthDate":"not-a-date"}""".formatted(Fixtures.TEST_SYSTEM, marker);

        Response response = fhir().body(patient).post("/Patient");

        assertThat(response.statusCode()).as(response.asString()).isIn(400, 422);
        assertThat(response.jsonPath().getString("resourceType")).isEqualTo("OperationOutcome");
        assertThat(response.jsonPath().getList("issue.diagnostics", String.class))
                .anySatisfy(d -> assertThat(d).contains("birthDate"));
        fhir().queryParam("identifier", Fixtures.TEST_SYSTEM + "|" + marker)
                .queryParam("_summary", "count")
                .get("/Patient")
                .then()
                .body("total", equalTo(0));
    }

    private static Path example(String fileName) {
        return GuideSources.examples().stream()
                .filter(p -> p.getFileName().toString().equals(fileName))
                .findFirst()
                .orElseThrow();
    }
}
