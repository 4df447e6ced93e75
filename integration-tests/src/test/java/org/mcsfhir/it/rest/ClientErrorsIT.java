package org.mcsfhir.it.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.mcsfhir.it.support.TestServer.fhir;

import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.mcsfhir.it.support.TestServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every client mistake gets a 4xx and an OperationOutcome, never a 500 or a stack trace. */
class ClientErrorsIT {

    @Nested
    class MalformedBodies {
        @Test
        void truncatedJson_is400() {
            assertClientError(fhir().body("{\"resourceType\":\"Patient\",").post("/Patient").then(), 400)
                    .body("issue[0].diagnostics", containsString("JSON"));
        }

        @Test
        void jsonWithUnknownElement_is400RatherThanSilentlyDropped() {
            assertClientError(fhir().body("{\"resourceType\":\"Patient\",\"shoeSize\":42}").post("/Patient").then(), 400)
                    .body("issue[0].diagnostics", containsString("shoeSize"));
        }

        @Test
        void malformedXml_is400() {
            assertClientError(
                    fhir().contentType("application/fhir+xml").body("<Patient xmlns=\"http://hl7.org/fhir\"><gender").post("/Patient").then(),
                    400);
        }

        @Test
        void xmlExternalEntity_isRefusedAndNotResolved() {
            String xxe = "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                    + "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"&x;\"/></Patient>";
            assertClientError(fhir().contentType("application/fhir+xml").body(xxe).post("/Patient").then(), 400)
                    .body(not(containsString("root:")));
        }

        @Test
        void nonFhirContentType_is4xx() {
            fhir().contentType("text/plain").body("hello").post("/Patient")
                    .then().statusCode(org.hamcrest.Matchers.either(equalTo(400)).or(equalTo(415)));
        }
    }

    @Test
    void unknownResourceType_is404() {
        assertClientError(fhir().get("/Spaceship").then(), 404);
    }

    @Test
    void bodyDeclaredLargerThanTheLimit_is413BeforeItIsSent() throws Exception {
        // What a well-behaved client does with a large body: announce it and wait for the go-ahead. The server must
        // refuse from the headers alone, without inviting the 11 MB in.
        URI base = URI.create(TestServer.get().fhirBase());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            String head = "POST /fhir/Patient HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                    + "Content-Type: application/fhir+json\r\nContent-Length: " + (11 * 1024 * 1024) + "\r\n"
                    + "Expect: 100-continue\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 413").contains("OperationOutcome", "too-costly", "MCS-0413");
        }
    }

    @Test
    void chunkedBodyLargerThanTheLimit_is413() throws Exception {
        byte[] justOver = new byte[10 * 1024 * 1024 + 1024];
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(TestServer.get().fhirBase() + "/Patient"))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(justOver)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("OperationOutcome", "too-costly");
    }

    @Test
    void updateWithMismatchedId_is400() {
        assertClientError(fhir().body("{\"resourceType\":\"Patient\",\"id\":\"abc\"}").put("/Patient/xyz").then(), 400);
    }

    /** Values the server would store but could not give back are refused on every way of writing. */
    @Nested
    class ValuesThatCannotBeReadBack {

        private static final String MARKER_SYSTEM = "https://mcs-fhir.org/fhir/sid/it-storable";

        @org.junit.jupiter.params.ParameterizedTest(name = "{0} at {1}")
        @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "decimal 1e-400         | Observation.valueQuantity.value | \"valueQuantity\":{\"value\":1e-400}",
            "decimal 1e400          | Observation.valueQuantity.value | \"valueQuantity\":{\"value\":1e400}",
            "decimal of 41 digits   | Observation.valueQuantity.value | \"valueQuantity\":{\"value\":12345678901234567890123456789012345678901}",
            "control character      | Observation.valueString         | \"valueString\":\"A\\u0001B\"",
            "NUL                    | Observation.valueString         | \"valueString\":\"A\\u0000B\"",
            "unpaired surrogate     | Observation.note.text           | \"note\":[{\"text\":\"A\\ud800B\"}]",
        })
        void isRefusedNamingTheElement_andNothingIsStored(String what, String path, String value) {
            String marker = java.util.UUID.randomUUID().toString();
            for (String way : new String[] {"create", "transaction"}) {
                String body = observation(marker, value.trim());
                var response = way.equals("create") ? fhir().body(body).post("/Observation")
                        : fhir().body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                                + body + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}").post("/");
                assertThat(response.time()).as(what + " answered quickly").isLessThan(10_000L);
                assertClientError(response.then(), 400)
                        .body("issue[0].diagnostics", containsString("MCS-0430"))
                        .body("issue[0].expression[0]", equalTo(path.trim()));
            }
            fhir().get("/Observation?identifier=" + MARKER_SYSTEM + "|" + marker).then().statusCode(200)
                    .body("total", equalTo(0));
        }

        @Test
        void numbersThatWouldExpandToMillionsOfDigits_areRefusedBeforeParsing() {
            for (String number : new String[] {"1e999999", "1e-999999", "1" + "0".repeat(100)}) {
                var response = fhir().body(observation(java.util.UUID.randomUUID().toString(),
                        "\"valueQuantity\":{\"value\":" + number + "}")).post("/Observation");
                assertThat(response.time()).as(number + " answered quickly").isLessThan(2_000L);
                assertClientError(response.then(), 400).body("issue[0].diagnostics", containsString("MCS-0411"));
            }
        }

        @Test
        void valuesAtTheLimits_areStoredAndReadBackInJsonAndXml() {
            String value = "\"valueQuantity\":{\"value\":1.23456789e-300},\"note\":[{\"text\":\"Tab\\tline\\nM\\u00fcller \\ud83e\\udec0\"}]";
            String id = fhir().body(observation(java.util.UUID.randomUUID().toString(), value)).post("/Observation")
                    .then().statusCode(201).extract().path("id");
            fhir().get("/Observation/" + id).then().statusCode(200).body("note[0].text", containsString("M\u00fcller"));
            fhir().accept("application/fhir+xml").get("/Observation/" + id).then().statusCode(200)
                    .body(containsString("M\u00fcller"));
        }

        private static String observation(String marker, String value) {
            return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"identifier\":[{\"system\":\""
                    + MARKER_SYSTEM + "\",\"value\":\"" + marker + "\"}],\"code\":{\"text\":\"storable\"}," + value + "}";
        }
    }

    private static ValidatableResponse assertClientError(ValidatableResponse response, int status) {
        return response.statusCode(status)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].severity", equalTo("error"))
                .body(not(containsString("\tat ")))
                .body(not(containsString("Exception:")));
    }
}
