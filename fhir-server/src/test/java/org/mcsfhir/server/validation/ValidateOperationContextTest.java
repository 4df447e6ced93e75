package org.mcsfhir.server.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

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
import org.mcsfhir.testsupport.GuideSources;

/**
 * {@code $validate} answers exactly what a write decides: for every guide example and every must-fail fixture, it
 * reports an error exactly when the write is refused, at the same elements. Over HTTP, against the context's server;
 * moved down from the packaged-jar ITs (ValidateOperationIT): validation does not depend on the process or database.
 */
class ValidateOperationContextTest extends ContextTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROFILES = "https://mcs-fhir.org/fhir/StructureDefinition/";
    private static final String REGISTRY_CASE = PROFILES + "mcs-registry-case";

    @BeforeAll
    static void storeTheGuideExamples() {
        fhir().body(GuideSources.examplesAsTransaction()).post("/").then().statusCode(200);
    }

    /** {@code POST /{type}/$validate}: always 200 with an OperationOutcome, whatever it reports. */
    private static JsonPath validate(String json, String query) {
        String type = JsonPath.from(json).getString("resourceType");
        Response response = fhir().body(json).post("/" + type + "/$validate" + query);
        response.then().statusCode(200).body("resourceType", equalTo("OperationOutcome"));
        return response.jsonPath();
    }

    private static List<String> errorExpressions(JsonPath outcome) {
        return outcome.getList(
                "issue.findAll { it.severity == 'error' || it.severity == 'fatal' }.expression.flatten()");
    }

    private static List<String> errorDiagnostics(JsonPath outcome) {
        return outcome.getList("issue.findAll { it.severity == 'error' || it.severity == 'fatal' }.diagnostics");
    }

    /** Writes the resource as an update of its own id; the status tells whether validation on write accepted it. */
    private static Response write(String json) {
        JsonPath resource = JsonPath.from(json);
        return fhir().body(json).put("/" + resource.getString("resourceType") + "/" + resource.getString("id"));
    }

    static Stream<Path> examples() {
        return GuideSources.examples().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void guideExample_noErrorExactlyWhenTheWriteIsAccepted(Path example) {
        String json = GuideSources.read(example);
        int written = write(json).statusCode();
        assertThat(written).as("write of " + example.getFileName()).isIn(200, 201, 422);

        JsonPath outcome = validate(json, "");

        assertThat(!errorDiagnostics(outcome).isEmpty())
                .as("$validate reports an error: " + errorDiagnostics(outcome))
                .isEqualTo(written == 422);
        assertThat(written).as("the guide's own example is accepted on write").isIn(200, 201);
    }

    static Stream<GuideSources.Fixture> fixtures() {
        return GuideSources.mustFailFixtures().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void mustFailFixture_reportsTheErrorTheWriteRefusesItWith(GuideSources.Fixture fixture) {
        String json = GuideSources.read(fixture.file());
        Response refused = write(json);
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(422);

        JsonPath outcome = validate(json, "");

        assertThat(errorExpressions(outcome)).as("$validate error expressions").contains(fixture.location());
        assertThat(errorDiagnostics(outcome))
                .anySatisfy(d -> assertThat(d).startsWith("MCS-0422").contains(fixture.message()));
        List<String> refusedDiagnostics = refused.jsonPath().getList("issue.diagnostics");
        if (refusedDiagnostics.stream().anyMatch(d -> d.startsWith("MCS-0422"))) {
            // a refusal by validation on write: $validate reports the very same errors at the very same elements
            assertThat(errorExpressions(outcome)).isEqualTo(errorExpressions(refused.jsonPath()));
            assertThat(errorDiagnostics(outcome)).isEqualTo(errorDiagnostics(refused.jsonPath()));
        }
        // (a transaction-type Bundle is refused by HAPI itself before any profile is consulted)
    }

    @Test
    void registryCaseExample_validatesAgainstTheRegistryCaseProfileByUrlParameter() throws Exception {
        String bundle = withoutMetaProfile(example("Bundle-mcs-example-registry-case-1.json"));

        JsonPath outcome = validate(bundle, "?profile=" + REGISTRY_CASE);

        assertThat(errorDiagnostics(outcome)).isEmpty();
        assertThat(outcome.getList("issue.diagnostics", String.class))
                .anySatisfy(d -> assertThat(d).contains("conforms to " + REGISTRY_CASE));
    }

    @Test
    void profileByUrlParameter_isChecked() throws Exception {
        // a Patient is not recognised by content: without meta.profile only the named profile makes it checked
        String patient = withoutMetaProfile(fixture("mcs-patient", "missing-birth-date.json"));

        assertThat(errorDiagnostics(validate(patient, ""))).isEmpty();
        assertThat(errorDiagnostics(validate(patient, "?profile=" + PROFILES + "mcs-patient")))
                .anySatisfy(
                        d -> assertThat(d).startsWith("MCS-0422").contains("Patient.birthDate: minimum required = 1"));
    }

    @Test
    void profileInParametersBody_isChecked() throws Exception {
        String goodCase = withoutMetaProfile(example("Bundle-mcs-example-registry-case-1.json"));
        String badPatient = withoutMetaProfile(fixture("mcs-patient", "missing-birth-date.json"));

        JsonPath good = parametersValidate("Bundle", goodCase, REGISTRY_CASE);
        JsonPath bad = parametersValidate("Patient", badPatient, PROFILES + "mcs-patient");

        assertThat(errorDiagnostics(good)).isEmpty();
        assertThat(good.getList("issue.diagnostics", String.class))
                .anySatisfy(d -> assertThat(d).contains("conforms to " + REGISTRY_CASE));
        assertThat(errorDiagnostics(bad))
                .anySatisfy(
                        d -> assertThat(d).startsWith("MCS-0422").contains("Patient.birthDate: minimum required = 1"));
    }

    @Test
    void profileInMetaProfile_isChecked() {
        String declared = fixture("mcs-patient", "missing-birth-date.json");

        assertThat(errorExpressions(validate(declared, ""))).contains("Patient");
    }

    @Test
    void instanceLevel_validatesTheBodyAgainstTheGuide() {
        String insertion = fixture("mcs-pump-insertion", "missing-body-site.json");
        String id = JsonPath.from(insertion).getString("id");

        Response response = fhir().body(insertion).post("/Procedure/" + id + "/$validate");

        response.then().statusCode(200).body("resourceType", equalTo("OperationOutcome"));
        assertThat(errorDiagnostics(response.jsonPath()))
                .anySatisfy(d -> assertThat(d).contains("Procedure.bodySite: minimum required = 1"));
        // without a body (GET: $validate changes nothing): the stored resource, which the write accepted
        Response stored = fhir().get("/Procedure/" + id + "/$validate");
        stored.then().statusCode(200);
        assertThat(errorDiagnostics(stored.jsonPath())).isEmpty();
    }

    @Test
    void unknownProfile_is400NamingIt() {
        String patient = example("Patient-mcs-example-patient-1.json");
        String unknown = PROFILES + "mcs-no-such-profile";

        fhir().body(patient)
                .post("/Patient/$validate?profile=" + unknown)
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].severity", equalTo("error"))
                .body("issue[0].diagnostics", startsWith("MCS-0423"))
                .body("issue[0].diagnostics", containsString(unknown));
        fhir().body(parameters(patient, unknown))
                .post("/Patient/$validate")
                .then()
                .statusCode(400)
                .body("issue[0].diagnostics", startsWith("MCS-0423"));
    }

    private static JsonPath parametersValidate(String type, String resource, String profile) {
        Response response = fhir().body(parameters(resource, profile)).post("/" + type + "/$validate");
        response.then().statusCode(200).body("resourceType", equalTo("OperationOutcome"));
        return response.jsonPath();
    }

    private static String parameters(String resource, String profile) {
        return """
                {"resourceType":"Parameters","parameter":[{"name":"resource","resource":%s},\
                {"name":"profile","valueUri":"%s"}]}""".formatted(resource, profile);
    }

    private static String withoutMetaProfile(String json) throws Exception {
        ObjectNode resource = (ObjectNode) JSON.readTree(json);
        resource.remove("meta");
        return JSON.writeValueAsString(resource);
    }

    private static String example(String fileName) {
        return GuideSources.read(GuideSources.examples().stream()
                .filter(p -> p.getFileName().toString().equals(fileName))
                .findFirst()
                .orElseThrow());
    }

    private static String fixture(String profile, String fileName) {
        return GuideSources.read(GuideSources.mustFailFixtures().stream()
                .filter(f -> f.profile().equals(profile)
                        && f.file().getFileName().toString().equals(fileName))
                .findFirst()
                .orElseThrow()
                .file());
    }
}
