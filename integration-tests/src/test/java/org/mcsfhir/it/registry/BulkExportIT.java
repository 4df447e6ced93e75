package org.mcsfhir.it.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.it.support.TestServer.fhir;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.CentreGroups;
import org.mcsfhir.testsupport.GuideSources;

/**
 * Bulk Data export (HAPI's batch2 jobs) at system, Patient and Group level, over HTTP against the running jar. All jobs
 * are kicked off together in {@link #kickOffEverything()}: batch2 advances a job one step per maintenance pass (once a
 * minute), so exports run for minutes, and running them side by side keeps this class at a few minutes.
 */
class BulkExportIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(9);
    private static final String LACTATE = "Observation?code=http://loinc.org|32693-4";

    private static final Map<String, String> statusUrls = new LinkedHashMap<>();
    private static final Map<String, JsonPath> manifests = new LinkedHashMap<>();
    private static String cancelledStatusUrl;
    private static Response cancelResponse;

    @BeforeAll
    static void kickOffEverything() throws InterruptedException {
        fhir().body(GuideSources.examplesAsTransaction()).post("/").then().statusCode(200);
        CentreGroups.awaitMember("mcs-centre-mcs-example-centre-1", "Patient/mcs-example-patient-1");
        CentreGroups.awaitMember("mcs-centre-mcs-example-centre-2", "Patient/mcs-example-patient-2");

        Thread.sleep(1500);
        String since = Instant.now().toString();
        Thread.sleep(1500);
        // further writes: one changed Patient, one new lactate Observation
        String patient = GuideSources.read(GuideSources.example("Patient-mcs-example-patient-1.json"))
                .replaceFirst(
                        "\"gender\"", "\"telecom\":[{\"system\":\"phone\",\"value\":\"0115 000 0001\"}],\"gender\"");
        fhir().body(patient).put("/Patient/mcs-example-patient-1").then().statusCode(200);
        String lactate = GuideSources.read(GuideSources.example("Observation-mcs-example-lactate-1.json"))
                .replace("\"id\": \"mcs-example-lactate-1\"", "\"id\": \"mcs-it-bulk-lactate\"");
        fhir().body(lactate).put("/Observation/mcs-it-bulk-lactate").then().statusCode(201);

        statusUrls.put("system", kickOff("/$export?_type=Patient,Procedure"));
        statusUrls.put("patient", kickOff("/Patient/$export?_type=Patient,Condition"));
        statusUrls.put(
                "group",
                kickOff("/Group/mcs-centre-mcs-example-centre-1/$export?_type=Patient,Observation" + "&_typeFilter="
                        + LACTATE));
        statusUrls.put(
                "since", kickOff("/$export?_type=Patient,Observation&_typeFilter=" + LACTATE + "&_since=" + since));
        cancelledStatusUrl = kickOff("/$export?_type=Patient");
        cancelResponse = fhir().delete(cancelledStatusUrl);

        Instant deadline = Instant.now().plus(TIMEOUT);
        while (manifests.size() < statusUrls.size() && Instant.now().isBefore(deadline)) {
            for (Map.Entry<String, String> job : statusUrls.entrySet()) {
                if (!manifests.containsKey(job.getKey())) {
                    Response poll = fhir().get(job.getValue());
                    if (poll.statusCode() == 200) {
                        manifests.put(job.getKey(), poll.jsonPath());
                    } else {
                        assertThat(poll.statusCode())
                                .as(job.getKey() + ": " + poll.asString())
                                .isEqualTo(202);
                        assertThat(poll.header("X-Progress"))
                                .as("X-Progress while running")
                                .isNotBlank();
                        // the server's own pace (mcs.fhir.batch-job-interval), not HAPI's fixed 120 s
                        assertThat(poll.header("Retry-After"))
                                .as("Retry-After while running")
                                .isEqualTo("5");
                    }
                }
            }
            Thread.sleep(2000);
        }
        assertThat(manifests.keySet()).as("exports finished within " + TIMEOUT).containsAll(statusUrls.keySet());
    }

    @Test
    void systemExport_hasEveryPatientAndProcedureAsNdjson() {
        Map<String, Set<String>> files = resourcesByType(manifests.get("system"));
        assertThat(files.keySet()).containsExactlyInAnyOrder("Patient", "Procedure");
        assertThat(files.get("Patient")).contains("mcs-example-patient-1", "mcs-example-patient-2");
        assertThat(files.get("Procedure"))
                .contains("mcs-example-insertion-1", "mcs-example-insertion-2", "mcs-example-removal-1");
    }

    @Test
    void patientExport_hasPatientsAndTheirConditions() {
        Map<String, Set<String>> files = resourcesByType(manifests.get("patient"));
        assertThat(files.get("Patient")).contains("mcs-example-patient-1", "mcs-example-patient-2");
        assertThat(files.get("Condition")).contains("mcs-example-bleeding-1", "mcs-example-stroke-2");
    }

    @Test
    void groupExport_isOneCentresCohort_filteredByTypeFilter() {
        Map<String, Set<String>> files = resourcesByType(manifests.get("group"));
        // other IT classes may have written more patients of centre 1 into the same database; never centre 2's
        assertThat(files.get("Patient")).contains("mcs-example-patient-1").doesNotContain("mcs-example-patient-2");
        assertThat(files.get("Observation"))
                .contains("mcs-example-lactate-1", "mcs-it-bulk-lactate")
                .doesNotContain("mcs-example-lactate-2", "mcs-example-map-1");
    }

    @Test
    void sinceExport_returnsExactlyTheResourcesWrittenAfterwards() {
        Map<String, Set<String>> files = resourcesByType(manifests.get("since"));
        assertThat(files.get("Patient")).containsExactly("mcs-example-patient-1");
        assertThat(files.get("Observation")).containsExactly("mcs-it-bulk-lactate");
    }

    @Test
    void manifestNamesTheRequestAndATransactionTime() {
        JsonPath manifest = manifests.get("group");
        assertThat(manifest.getString("transactionTime")).isNotBlank();
        assertThat(manifest.getString("request"))
                .contains("/Group/mcs-centre-mcs-example-centre-1/")
                .contains("export");
    }

    @Test
    void deleteCancelsAnExport() {
        assertThat(cancelResponse.statusCode()).as(cancelResponse.asString()).isIn(202, 200);
        Response after = fhir().get(cancelledStatusUrl);
        // a cancelled job never produces a manifest
        assertThat(after.statusCode()).as(after.asString()).isNotEqualTo(200);
    }

    private static String kickOff(String path) {
        Response response = fhir().header("Prefer", "respond-async").get(path);
        assertThat(response.statusCode()).as(path + ": " + response.asString()).isEqualTo(202);
        String location = response.header("Content-Location");
        assertThat(location).as("Content-Location of " + path).contains("$export-poll-status");
        return location;
    }

    /** The ids in each NDJSON file of a manifest, by resource type. */
    private static Map<String, Set<String>> resourcesByType(JsonPath manifest) {
        Map<String, Set<String>> byType = new LinkedHashMap<>();
        List<Map<String, String>> outputs = manifest.getList("output");
        for (Map<String, String> output : outputs == null ? new ArrayList<Map<String, String>>() : outputs) {
            String ndjson = fhir().accept("application/fhir+ndjson")
                    .get(output.get("url"))
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            for (String line : ndjson.split("\n")) {
                if (!line.isBlank()) {
                    JsonPath resource = JsonPath.from(line);
                    assertThat(resource.getString("resourceType")).isEqualTo(output.get("type"));
                    byType.computeIfAbsent(output.get("type"), t -> new TreeSet<>())
                            .add(resource.getString("id"));
                }
            }
        }
        return byType;
    }
}
