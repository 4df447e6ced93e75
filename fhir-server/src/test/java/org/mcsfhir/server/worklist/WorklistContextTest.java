package org.mcsfhir.server.worklist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.tier.ContextTest;
import org.mcsfhir.server.tier.ExampleCase;
import org.mcsfhir.testsupport.WorklistTasks;

/**
 * The completeness worklist inside the server: an insertion written without a consent opens a missing-consent Task
 * owned by its centre, storing the consent completes it, and {@code $worklist-refresh} neither duplicates nor
 * rewrites Tasks. Moved down from WorklistIT (docs/testing.md).
 */
class WorklistContextTest extends ContextTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ITEM = "missing-consent";

    @Test
    void insertionWithoutConsent_opensATask_andTheConsentCompletesIt() throws Exception {
        ExampleCase c = ExampleCase.store(fhirBase(), "worklist", Instant.now().minus(Duration.ofDays(2)));

        // no refresh: the write itself announces the insertion to the worklist
        JsonPath open = awaitTask(c.insertion, "requested");
        assertThat(open.getString("meta.profile[0]"))
                .isEqualTo("https://mcs-fhir.org/fhir/StructureDefinition/mcs-worklist-task");
        assertThat(open.getString("intent")).isEqualTo("order");
        assertThat(open.getString("focus.reference")).isEqualTo(c.insertion);
        assertThat(open.getString("for.reference")).isEqualTo(c.patient);
        assertThat(open.getString("owner.reference")).isEqualTo(ExampleCase.CENTRE_1);
        assertThat(open.getString("identifier[0].value")).isEqualTo(c.insertionId() + "/" + ITEM);

        String consent = c.storeConsent();
        JsonPath closed = awaitTask(c.insertion, "completed");
        assertThat(closed.getString("output[0].valueReference.reference")).isEqualTo(consent);
        assertThat(closed.getString("statusReason.text")).contains(consent);
        assertThat(closed.getString("executionPeriod.end")).isNotNull();
    }

    @Test
    void repeatedRefreshes_neitherDuplicateNorRewriteTasks() throws Exception {
        ExampleCase c =
                ExampleCase.store(fhirBase(), "worklist-refresh", Instant.now().minus(Duration.ofDays(40)));
        refresh(c.insertion);
        List<Map<String, Object>> before = tasksOf(c.insertion);
        assertThat(before).isNotEmpty();

        refresh(c.insertion);
        refresh(c.insertion);
        fhir().body("{\"resourceType\":\"Parameters\"}")
                .post("/Task/$worklist-refresh")
                .then()
                .statusCode(200);

        List<Map<String, Object>> after = tasksOf(c.insertion);
        assertThat(after).hasSameSizeAs(before);
        assertThat(versions(after)).isEqualTo(versions(before));
        List<?> byIdentifier = fhir().queryParam(
                        "identifier", "https://mcs-fhir.org/fhir/sid/worklist-item|" + c.insertionId() + "/" + ITEM)
                .get("/Task")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entry");
        assertThat(byIdentifier).hasSize(1);
    }

    private void refresh(String insertion) {
        fhir().body("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"insertion\",\"valueReference\":"
                        + "{\"reference\":\"" + insertion + "\"}}]}")
                .post("/Task/$worklist-refresh")
                .then()
                .statusCode(200);
    }

    private List<Map<String, Object>> tasksOf(String insertion) {
        return WorklistTasks.of(fhir(), insertion);
    }

    /** Each Task as {@code id@version:status}, sorted: a rewrite shows as a new version. */
    private static List<String> versions(List<Map<String, Object>> tasks) {
        return tasks.stream()
                .map(t -> JsonPath.from(JSON.valueToTree(t).toString()))
                .map(t -> t.getString("id") + "@" + t.getString("meta.versionId") + ":" + t.getString("status"))
                .sorted()
                .toList();
    }

    private JsonPath awaitTask(String insertion, String status) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        String seen = null;
        while (Instant.now().isBefore(deadline)) {
            for (Map<String, Object> task : tasksOf(insertion)) {
                JsonPath t = new JsonPath(JSON.writeValueAsString(task));
                if (ITEM.equals(t.getString("code.coding[0].code"))) {
                    seen = t.getString("status");
                    if (status.equals(seen)) {
                        return t;
                    }
                }
            }
            Thread.sleep(250);
        }
        assertThat(seen).as(ITEM + " Task of " + insertion).isEqualTo(status);
        return null;
    }
}
