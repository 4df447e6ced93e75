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

/**
 * The completeness worklist inside the server: an insertion written without a consent opens a missing-consent Task
 * owned by its centre, storing the consent completes it, and {@code $worklist-refresh} adds no duplicates.
 */
class WorklistContextTest extends ContextTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ITEM = "missing-consent";

    @Test
    void insertionWithoutConsent_opensATask_andTheConsentCompletesIt() throws Exception {
        ExampleCase c = ExampleCase.store(fhirBase(), "worklist", Instant.now().minus(Duration.ofDays(2)));

        JsonPath open = awaitTask(c.insertion, "requested");
        assertThat(open.getString("meta.profile[0]"))
                .isEqualTo("https://mcs-fhir.org/fhir/StructureDefinition/mcs-worklist-task");
        assertThat(open.getString("focus.reference")).isEqualTo(c.insertion);
        assertThat(open.getString("for.reference")).isEqualTo(c.patient);
        assertThat(open.getString("owner.reference")).isEqualTo(ExampleCase.CENTRE_1);

        String consent = c.storeConsent();
        JsonPath closed = awaitTask(c.insertion, "completed");
        assertThat(closed.getString("output[0].valueReference.reference")).isEqualTo(consent);
    }

    @Test
    void refresh_doesNotDuplicateTasks() throws Exception {
        ExampleCase c =
                ExampleCase.store(fhirBase(), "worklist-refresh", Instant.now().minus(Duration.ofDays(40)));
        refresh(c.insertion);
        int before = tasksOf(c.insertion).size();
        assertThat(before).isPositive();

        refresh(c.insertion);
        fhir().body("{\"resourceType\":\"Parameters\"}")
                .post("/Task/$worklist-refresh")
                .then()
                .statusCode(200);

        assertThat(tasksOf(c.insertion)).hasSize(before);
    }

    private void refresh(String insertion) {
        fhir().body("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"insertion\",\"valueReference\":"
                        + "{\"reference\":\"" + insertion + "\"}}]}")
                .post("/Task/$worklist-refresh")
                .then()
                .statusCode(200);
    }

    private List<Map<String, Object>> tasksOf(String insertion) {
        List<Map<String, Object>> tasks = fhir().queryParam("focus", insertion)
                .queryParam("_count", 50)
                .get("/Task")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entry.resource");
        return tasks == null ? List.of() : tasks;
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
