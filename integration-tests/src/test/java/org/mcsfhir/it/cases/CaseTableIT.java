package org.mcsfhir.it.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.it.support.TestServer.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcsfhir.testsupport.CaseTableRows;
import org.mcsfhir.testsupport.GuideSources;

/**
 * The case table against the running jar: a case built from the guide's examples (patient, pump, insertion, consent,
 * removal, complication, vital status) has its row; every update and delete of each evidence type reaches the row
 * before the admin check runs, and the row then equals what the resources say; a rebuild gives the same rows.
 */
class CaseTableIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> PARTS = List.of(
            "patient-1",
            "pump-1",
            "insertion-1",
            "consent-1a",
            "removal-1",
            "bleeding-1",
            "vital-status-1-30d",
            "scai-1");

    @BeforeAll
    static void storeTheGuideExamples() {
        fhir().body(GuideSources.examplesAsTransaction()).post("/").then().statusCode(200);
    }

    @Test
    void aStoredCase_hasItsRow_withEveryEvidenceType() throws Exception {
        Case c = storeCase("stored");

        Map<String, String> row = row(c.insertion());

        assertThat(row)
                .containsEntry("patientId", c.id("patient-1"))
                .containsEntry("centre", "Organization/mcs-example-centre-1")
                .containsEntry("pumpId", c.id("pump-1"))
                .containsEntry("deviceModel", "Impella CP")
                .containsEntry("consentId", c.id("consent-1a"))
                .containsEntry("sex", "female")
                .containsEntry("recorded", "true");
        assertThat(row.get("removals")).startsWith(c.id("removal-1") + "|");
        assertThat(row.get("complications")).startsWith(c.id("bleeding-1") + "|");
        assertThat(row.get("outcomes"))
                .startsWith(c.id("vital-status-1-30d") + "|")
                .contains("438949009");
        assertThat(row.get("selection"))
                .startsWith(c.id("scai-1") + "|final|scai-shock-stage|")
                .endsWith("|D");
    }

    @Test
    void updatesOfEveryEvidenceType_reachTheRow() throws Exception {
        Case c = storeCase("updated");

        c.update("patient-1", r -> r.put("gender", "male"));
        assertThat(row(c.insertion())).containsEntry("sex", "male");

        c.update("pump-1", r -> ((ObjectNode) r.get("deviceName").get(0)).put("name", "Impella 5.5"));
        assertThat(row(c.insertion())).containsEntry("deviceModel", "Impella 5.5");

        c.update("removal-1", r -> r.put("performedDateTime", "2026-03-16T09:00:00Z"));
        assertThat(row(c.insertion()).get("removals")).contains("2026-03-16T09:00:00Z");

        c.update("bleeding-1", r -> r.put("onsetDateTime", "2026-03-12T08:00:00Z"));
        assertThat(row(c.insertion()).get("complications")).contains("2026-03-12T08:00:00Z");

        c.update(
                "vital-status-1-30d",
                r -> ((ObjectNode) r.get("valueCodeableConcept").get("coding").get(0))
                        .put("code", "419099009")
                        .put("display", "Dead"));
        assertThat(row(c.insertion()).get("outcomes")).contains("419099009").doesNotContain("438949009");

        c.update(
                "scai-1",
                r -> ((ObjectNode) r.get("valueCodeableConcept").get("coding").get(0))
                        .put("code", "E")
                        .put("display", "Stage E - extremis"));
        assertThat(row(c.insertion()).get("selection")).endsWith("|E");

        c.update("consent-1a", r -> r.put("status", "entered-in-error"));
        assertThat(row(c.insertion())).doesNotContainKey("consentId");

        c.update("insertion-1", r -> r.put("status", "entered-in-error"));
        assertThat(row(c.insertion())).containsEntry("recorded", "false");
    }

    @Test
    void deletesOfEveryEvidenceType_reachTheRow() throws Exception {
        Case c = storeCase("deleted");

        c.delete("Observation", "vital-status-1-30d");
        assertThat(row(c.insertion())).containsEntry("outcomes", "");
        c.delete("Observation", "scai-1");
        assertThat(row(c.insertion())).containsEntry("selection", "");
        c.delete("Procedure", "removal-1");
        assertThat(row(c.insertion())).containsEntry("removals", "");
        // the insertion names the consent and the complication: let go of them first (the complication stays the
        // case's by its onset, the consent by its provision.data)
        c.update("insertion-1", r -> {
            r.remove("complicationDetail");
            ArrayNode extensions = (ArrayNode) r.get("extension");
            for (int i = extensions.size() - 1; i >= 0; i--) {
                if (extensions.get(i).path("url").asText().endsWith("/mcs-consent")) {
                    extensions.remove(i);
                }
            }
        });
        assertThat(row(c.insertion()).get("complications")).startsWith(c.id("bleeding-1"));
        c.delete("Condition", "bleeding-1");
        assertThat(row(c.insertion())).containsEntry("complications", "");
        c.delete("Consent", "consent-1a");
        assertThat(row(c.insertion())).doesNotContainKey("consentId");

        c.delete("Procedure", "insertion-1");
        assertThat(row(c.insertion())).as("no row for a deleted insertion").doesNotContainKey("insertionId");
    }

    @Test
    void aRebuild_givesTheSameTable_andTheCheckFindsNoDrift() throws Exception {
        Case c = storeCase("rebuilt");
        Map<String, String> before = row(c.insertion());
        Map<String, String> example = row("Procedure/mcs-example-insertion-1");

        Response rebuilt = fhir().body("{\"resourceType\":\"Parameters\"}").post("/$case-table-rebuild");
        assertThat(rebuilt.statusCode()).as(rebuilt.asString()).isEqualTo(200);
        assertThat(rebuilt.jsonPath().getInt("parameter.find { it.name == 'rows' }.valueInteger"))
                .isPositive();

        assertThat(row(c.insertion())).isEqualTo(before);
        assertThat(row("Procedure/mcs-example-insertion-1")).isEqualTo(example);
        Response check = fhir().queryParam("sample", 1000).get("/$case-table-check");
        assertThat(check.statusCode()).as(check.asString()).isEqualTo(200);
        assertThat(check.jsonPath().getInt("parameter.find { it.name == 'drift' }.valueInteger"))
                .isZero();
    }

    @Test
    void aRowOfSomethingThatIsNotAnInsertionReference_orAnEmptySample_is400() {
        Response row = fhir().queryParam("insertion", "Patient/x").get("/$case-table-row");
        Response check = fhir().queryParam("sample", 0).get("/$case-table-check");
        for (Response response : List.of(row, check)) {
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
            assertThat(response.jsonPath().getString("issue[0].diagnostics")).startsWith("MCS-0881");
        }
    }

    /** The stored row's columns, after every write so far reached the table; the row must equal the resources. */
    private static Map<String, String> row(String insertion) {
        return CaseTableRows.of(fhir().queryParam("insertion", insertion).get("/$case-table-row"), insertion);
    }

    private static Case storeCase(String name) throws Exception {
        Case c = new Case("ct-" + name + "-" + RUN);
        ArrayNode entries = JSON.createArrayNode();
        for (String part : PARTS) {
            ObjectNode resource = c.example(part);
            entries.add(JSON.createObjectNode()
                    .<ObjectNode>set("resource", resource)
                    .set(
                            "request",
                            JSON.createObjectNode()
                                    .put("method", "PUT")
                                    .put(
                                            "url",
                                            resource.get("resourceType").asText() + "/"
                                                    + resource.get("id").asText())));
        }
        ObjectNode bundle =
                JSON.createObjectNode().put("resourceType", "Bundle").put("type", "transaction");
        bundle.set("entry", entries);
        Response stored = fhir().body(bundle.toString()).post("/");
        assertThat(stored.statusCode()).as(stored.asString()).isEqualTo(200);
        return c;
    }

    /** A copy of the guide's case 1 whose own ids carry a prefix (centre, operators and terminology stay). */
    private record Case(String prefix) {

        String id(String part) {
            return prefix + "-" + part;
        }

        String insertion() {
            return "Procedure/" + id("insertion-1");
        }

        ObjectNode example(String part) throws Exception {
            Path file = GuideSources.examples().stream()
                    .filter(p -> p.getFileName().toString().endsWith("-mcs-example-" + part + ".json"))
                    .findFirst()
                    .orElseThrow();
            String text = GuideSources.read(file);
            for (String other : PARTS) {
                text = text.replace("mcs-example-" + other + "\"", id(other) + "\"");
            }
            ObjectNode resource = (ObjectNode) JSON.readTree(text);
            resource.remove("text");
            if (part.equals("patient-1")) {
                ArrayNode identifiers = JSON.createArrayNode();
                identifiers.add(JSON.createObjectNode()
                        .put("system", "https://mcs-fhir.org/fhir/example/centre-1/mrn")
                        .put("value", prefix));
                resource.set("identifier", identifiers);
            }
            return resource;
        }

        void update(String part, Consumer<ObjectNode> change) throws Exception {
            String type = example(part).get("resourceType").asText();
            JsonNode current = JSON.readTree(fhir().get("/" + type + "/" + id(part))
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
            ObjectNode resource = (ObjectNode) current;
            resource.remove("meta");
            resource.putObject("meta").putArray("profile").addAll((ArrayNode)
                    example(part).get("meta").get("profile"));
            change.accept(resource);
            Response updated = fhir().body(resource.toString()).put("/" + type + "/" + id(part));
            assertThat(updated.statusCode()).as(updated.asString()).isEqualTo(200);
        }

        void delete(String type, String part) {
            Response deleted = fhir().delete("/" + type + "/" + id(part));
            assertThat(deleted.statusCode()).as(deleted.asString()).isIn(200, 204);
        }
    }
}
