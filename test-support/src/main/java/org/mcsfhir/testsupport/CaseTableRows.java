package org.mcsfhir.testsupport;

import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The case table row in a {@code $case-table-row} answer. Shared because fhir-server's context tests and the ITs read
 * rows the same way; each asks its own server (the context tests by the provider's operation name).
 */
public final class CaseTableRows {

    private CaseTableRows() {}

    /**
     * The row's columns (an empty column, a part without a value as FHIR has no empty strings, as {@code ""}); fails
     * unless the answer is a 200 saying that the row equals the resources.
     */
    public static Map<String, String> of(Response answer, String insertion) {
        if (answer.statusCode() != 200) {
            throw new AssertionError("row of " + insertion + ": " + answer.statusCode() + " " + answer.asString());
        }
        Boolean consistent = answer.jsonPath().get("parameter.find { it.name == 'consistent' }.valueBoolean");
        if (!Boolean.TRUE.equals(consistent)) {
            throw new AssertionError("row of " + insertion + " does not equal the resources: " + answer.asString());
        }
        Map<String, String> row = new LinkedHashMap<>();
        List<Map<String, Object>> parts = answer.jsonPath().getList("parameter.find { it.name == 'row' }.part");
        if (parts != null) {
            parts.forEach(p ->
                    row.put((String) p.get("name"), p.get("valueString") == null ? "" : (String) p.get("valueString")));
        }
        return row;
    }
}
