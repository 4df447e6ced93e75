package org.mcsfhir.testsupport;

import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;

/**
 * The worklist Tasks of an insertion, searched as a client searches them. Shared because fhir-server's context tests,
 * the ITs and the two-node IT look them up the same way, each through its own server.
 */
public final class WorklistTasks {

    private WorklistTasks() {}

    /** The Tasks whose focus is {@code insertion} (up to 50), as JSON maps; an empty list when there are none. */
    public static List<Map<String, Object>> of(RequestSpecification fhir, String insertion) {
        List<Map<String, Object>> tasks = fhir.queryParam("focus", insertion)
                .queryParam("_count", 50)
                .get("/Task")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entry.resource");
        return tasks == null ? List.of() : tasks;
    }
}
