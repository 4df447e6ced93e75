package org.mcsfhir.it.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.it.support.TestServer.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mcsfhir.testsupport.ExampleEdits;
import org.mcsfhir.testsupport.GuideSources;
import org.mcsfhir.testsupport.WorklistTasks;

/**
 * The completeness worklist against the running jar: Tasks opened for missing or overdue registry data, closed when
 * the data arrives, one per insertion and item, owned by the insertion's centre. Waits are bounded polls or an
 * explicit {@code $worklist-refresh}, never blind sleeps. A missing consent's Task opened on the write and completed
 * by the consent, and refreshes that neither duplicate nor rewrite Tasks, are tested in fhir-server's
 * {@code worklist/WorklistContextTest}.
 */
class WorklistIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ITEM_SYSTEM = "https://mcs-fhir.org/fhir/CodeSystem/mcs-worklist-item-cs";
    private static final String CENTRE_1 = "Organization/mcs-example-centre-1";
    private static final String CENTRE_2 = "Organization/mcs-example-centre-2";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void storeTheGuideExamples() {
        fhir().body(GuideSources.examplesAsTransaction()).post("/").then().statusCode(200);
    }

    @Test
    void thirtyDayFollowUp_isOverdueForAnInsertion40DaysAgo_andAVitalStatusClosesIt() throws Exception {
        Instant inserted = Instant.now().minus(Duration.ofDays(40)).truncatedTo(ChronoUnit.SECONDS);
        String patient = storePatient("followup", CENTRE_1);
        String insertion = storeInsertion("followup", patient, CENTRE_1, inserted);
        refresh(insertion);

        JsonPath open = task(insertion, "overdue-follow-up-30d");
        assertThat(open.getString("status")).isEqualTo("requested");
        assertThat(Instant.parse(open.getString("executionPeriod.start")))
                .isEqualTo(inserted.plus(Duration.ofDays(30)));
        assertThat(task(insertion, "overdue-follow-up-180d")).as("not due yet").isNull();
        assertThat(task(insertion, "support-not-ended").getString("status")).isEqualTo("requested");

        String vitalStatus = storeVitalStatus(patient, insertion);
        refresh(insertion);

        JsonPath closed = task(insertion, "overdue-follow-up-30d");
        assertThat(closed.getString("status")).isEqualTo("completed");
        assertThat(closed.getString("output[0].valueReference.reference")).isEqualTo(vitalStatus);
    }

    @Test
    void anotherCentresInsertion_yieldsATaskOwnedByThatCentre() throws Exception {
        String patient = storePatient("centre2", CENTRE_2);
        String insertion =
                storeInsertion("centre2", patient, CENTRE_2, Instant.now().minus(Duration.ofDays(1)));
        refresh(insertion);

        assertThat(task(insertion, "missing-consent").getString("owner.reference"))
                .isEqualTo(CENTRE_2);
        String code = ITEM_SYSTEM + "|missing-consent";
        assertThat(openFoci(CENTRE_2, code)).contains(insertion);
        assertThat(openFoci(CENTRE_1, code)).doesNotContain(insertion);
    }

    @Test
    void deletingAnInsertion_isNotBlockedByItsWorklistTasks() throws Exception {
        String patient = storePatient("delete", CENTRE_1);
        String insertion =
                storeInsertion("delete", patient, CENTRE_1, Instant.now().minus(Duration.ofDays(1)));
        refresh(insertion);
        String taskId = "Task/wl-" + idOf(insertion) + "-missing-consent";
        fhir().get("/" + taskId).then().statusCode(200);

        var deleted = fhir().delete("/" + insertion);

        assertThat(deleted.statusCode()).as(deleted.asString()).isIn(200, 204);
        fhir().get("/" + taskId).then().statusCode(410);
        fhir().get("/" + insertion).then().statusCode(410);
    }

    @Test
    void deletingAnInsertionWithSeveralOpenTasks_isNotBlockedByAnyOfThem() throws Exception {
        String patient = storePatient("delete-several", CENTRE_1);
        String insertion = storeInsertion(
                "delete-several", patient, CENTRE_1, Instant.now().minus(Duration.ofDays(40)));
        refresh(insertion);
        List<String> taskIds = tasksOf(insertion).stream()
                .filter(t -> "requested".equals(t.get("status")))
                .map(t -> "Task/" + t.get("id"))
                .toList();
        assertThat(taskIds)
                .as("consent, 30-day follow-up and support end are all open")
                .hasSizeGreaterThan(2);

        var deleted = fhir().delete("/" + insertion);

        assertThat(deleted.statusCode()).as(deleted.asString()).isIn(200, 204);
        taskIds.forEach(task -> fhir().get("/" + task).then().statusCode(410));
        fhir().get("/" + insertion).then().statusCode(410);
    }

    @Test
    void clientTaskWhoseIdLooksLikeAWorklistTask_stillBlocksThePatientsDelete() throws Exception {
        String patient = storePatient("client-task", CENTRE_1);
        String task = "Task/wl-client-" + RUN;
        fhir().body("""
                {"resourceType":"Task","id":"%s","status":"requested","intent":"order",
                 "for":{"reference":"%s"},"owner":{"reference":"%s"}}""".formatted(task.substring(5), patient, CENTRE_1))
                .put("/" + task)
                .then()
                .statusCode(201);

        Response refused = fhir().delete("/" + patient);

        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(409);
        assertThat(refused.jsonPath().getString("issue[0].diagnostics"))
                .startsWith("MCS-04")
                .contains(task);
        fhir().get("/" + patient).then().statusCode(200);
        fhir().delete("/" + task).then().statusCode(200);
        // the centre Group naming the patient does not block (the server's own, like the worklist's Tasks)
        Response deleted = fhir().delete("/" + patient);
        assertThat(deleted.statusCode()).as(deleted.asString()).isIn(200, 204);
    }

    @Test
    void refreshOperation_isInTheCapabilityStatementAndTheOpenApiDocument() {
        JsonPath metadata =
                fhir().get("/metadata").then().statusCode(200).extract().jsonPath();
        assertThat(metadata.getList("rest[0].resource.find { it.type == 'Task' }.operation.name", String.class))
                .contains("worklist-refresh");
        assertThat(metadata.getList("rest[0].resource.find { it.type == 'Task' }.searchParam.name", String.class))
                .contains("owner", "status", "code", "focus");
        String openApi = fhir().accept("*/*")
                .get("/api-docs")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(openApi).contains("/Task/$worklist-refresh");
    }

    @Nested
    class BadParameters {

        @Test
        void insertionThatIsNotAProcedureReference_is400WithOperationOutcome() {
            Response response = refreshResponse("Patient/mcs-example-patient-1");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.jsonPath().getString("resourceType")).isEqualTo("OperationOutcome");
            assertThat(response.jsonPath().getString("issue[0].code")).isEqualTo("invalid");
            assertThat(response.jsonPath().getString("issue[0].diagnostics")).contains("MCS-0864");
        }

        @Test
        void unknownInsertion_is404WithOperationOutcome() {
            Response response = refreshResponse("Procedure/no-such-insertion-" + RUN);
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.jsonPath().getString("issue[0].diagnostics")).contains("MCS-0865");
        }

        @Test
        void unknownSearchParameterOnTheWorklistSearch_is400WithOperationOutcome() {
            Response response = fhir().queryParam("owner", CENTRE_1)
                    .queryParam("centre", "x")
                    .get("/Task");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.jsonPath().getString("resourceType")).isEqualTo("OperationOutcome");
        }

        @Test
        void refreshByGet_isRefused() {
            int status = fhir().get("/Task/$worklist-refresh").statusCode();
            assertThat(status).isBetween(400, 499);
        }
    }

    // --- fixtures: the guide's example case 1, with new ids ---

    private static String storePatient(String name, String centre) throws Exception {
        String id = "mcs-it-wl-" + name + "-" + RUN;
        ObjectNode patient = example("Patient-mcs-example-patient-1.json");
        patient.put("id", id);
        ArrayNode identifiers = JSON.createArrayNode();
        identifiers.add(JSON.createObjectNode()
                .put("system", "https://mcs-fhir.org/fhir/example/centre-1/mrn")
                .put("value", id));
        patient.set("identifier", identifiers);
        ((ObjectNode) patient.get("managingOrganization")).put("reference", centre);
        patient.remove("text");
        fhir().body(patient.toString()).put("/Patient/" + id).then().statusCode(201);
        return "Patient/" + id;
    }

    private static String storeInsertion(String name, String patient, String centre, Instant start) throws Exception {
        String id = "mcs-it-wl-ins-" + name + "-" + RUN;
        ObjectNode insertion = ExampleEdits.insertionWithoutConsent(
                example("Procedure-mcs-example-insertion-1.json"), id, patient, start);
        ObjectNode performer = (ObjectNode) insertion.get("performer").get(0);
        ((ObjectNode) performer.get("onBehalfOf")).put("reference", centre);
        ((ObjectNode) performer.get("actor"))
                .put(
                        "reference",
                        centre.equals(CENTRE_2)
                                ? "Practitioner/mcs-example-operator-2"
                                : "Practitioner/mcs-example-operator-1");
        fhir().body(insertion.toString()).put("/Procedure/" + id).then().statusCode(201);
        return "Procedure/" + id;
    }

    private static String storeVitalStatus(String patient, String insertion) throws Exception {
        String id = "mcs-it-wl-vs-" + RUN;
        ObjectNode observation = example("Observation-mcs-example-vital-status-1-30d.json");
        observation.put("id", id);
        observation.remove("text");
        ((ObjectNode) observation.get("subject")).put("reference", patient);
        ((ObjectNode) observation.get("focus").get(0)).put("reference", insertion);
        observation.put("effectiveDateTime", LocalDate.now(ZoneOffset.UTC).toString());
        fhir().body(observation.toString()).put("/Observation/" + id).then().statusCode(201);
        return "Observation/" + id;
    }

    private static ObjectNode example(String file) throws Exception {
        return (ObjectNode) JSON.readTree(GuideSources.read(GuideSources.example(file)));
    }

    // --- worklist access ---

    private static void refresh(String insertion) {
        Response response = refreshResponse(insertion);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
    }

    private static Response refreshResponse(String insertion) {
        String body = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"insertion\",\"valueReference\":"
                + "{\"reference\":\"" + insertion + "\"}}]}";
        return fhir().body(body).post("/Task/$worklist-refresh");
    }

    private static List<Map<String, Object>> tasksOf(String insertion) {
        return WorklistTasks.of(fhir(), insertion);
    }

    /** The Task of one item, or null. */
    private static JsonPath task(String insertion, String code) throws Exception {
        for (Map<String, Object> task : tasksOf(insertion)) {
            JsonPath t = JsonPath.from(JSON.writeValueAsString(task));
            if (code.equals(t.getString("code.coding[0].code"))) {
                return t;
            }
        }
        return null;
    }

    private static List<String> openFoci(String centre, String code) {
        List<String> foci = fhir().queryParam("owner", centre)
                .queryParam("status", "requested")
                .queryParam("code", code)
                .queryParam("_count", 500)
                .get("/Task")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entry.resource.focus.reference");
        return foci == null ? List.of() : foci;
    }

    private static String idOf(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }
}
