package org.mcsfhir.it.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.mcsfhir.it.support.TestServer.fhir;
import static org.mcsfhir.testsupport.ClientErrors.assertClientError;

import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Values at and beyond what each database can store and give back: refused with a 400 naming the element, or stored
 * and read back in JSON and XML, on H2 and on PostgreSQL. Every other client mistake (malformed bodies, hostile
 * parameters, connector-level errors) never reaches the database and is tested in the context tier: fhir-server's
 * {@code errors/ClientErrorsContextTest} (docs/testing.md).
 */
class ClientErrorsIT {

    /** Values the server would store but could not give back are refused on every way of writing. */
    @Nested
    class ValuesThatCannotBeReadBack {

        private static final String MARKER_SYSTEM = "https://mcs-fhir.org/fhir/sid/it-storable";

        @ParameterizedTest(name = "{0} at {1}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "decimal 1e-400         | Observation.valueQuantity.value | \"valueQuantity\":{\"value\":1e-400}",
                    "decimal 1e400          | Observation.valueQuantity.value | \"valueQuantity\":{\"value\":1e400}",
                    "decimal of 41 digits   | Observation.valueQuantity.value | \"valueQuantity\":{\"value\":"
                            + "12345678901234567890123456789012345678901}",
                    "control character      | Observation.valueString         | \"valueString\":\"A\\u0001B\"",
                    "NUL                    | Observation.valueString         | \"valueString\":\"A\\u0000B\"",
                    "unpaired surrogate     | Observation.note.text           | \"note\":[{\"text\":\"A\\ud800B\"}]",
                })
        void isRefusedNamingTheElement_andNothingIsStored(String what, String path, String value) {
            String marker = UUID.randomUUID().toString();
            for (String way : new String[] {"create", "transaction"}) {
                String body = observation(marker, value.trim());
                var response = way.equals("create")
                        ? fhir().body(body).post("/Observation")
                        : fhir().body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                                        + body + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}")
                                .post("/");
                assertThat(response.time()).as(what + " answered quickly").isLessThan(10_000L);
                assertClientError(response.then(), 400)
                        .body("issue[0].diagnostics", containsString("MCS-0430"))
                        .body("issue[0].expression[0]", equalTo(path.trim()));
            }
            fhir().get("/Observation?identifier=" + MARKER_SYSTEM + "|" + marker)
                    .then()
                    .statusCode(200)
                    .body("total", equalTo(0));
        }

        @Test
        void valuesAtTheLimits_areStoredAndReadBackInJsonAndXml() {
            String value = "\"valueQuantity\":{\"value\":1.23456789e-300},"
                    + "\"note\":[{\"text\":\"Tab\\tline\\nM\\u00fcller \\ud83e\\udec0\"}]";
            String id = fhir().body(observation(UUID.randomUUID().toString(), value))
                    .post("/Observation")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            fhir().get("/Observation/" + id).then().statusCode(200).body("note[0].text", containsString("M\u00fcller"));
            fhir().accept("application/fhir+xml")
                    .get("/Observation/" + id)
                    .then()
                    .statusCode(200)
                    .body(containsString("M\u00fcller"));
        }

        private static String observation(String marker, String value) {
            return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"identifier\":[{\"system\":\""
                    + MARKER_SYSTEM + "\",\"value\":\"" + marker + "\"}],\"code\":{\"text\":\"storable\"}," + value
                    + "}";
        }
    }
}
