package org.mcsfhir.server.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.either;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.mcsfhir.testsupport.ClientErrors.assertClientError;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mcsfhir.server.tier.ContextTest;

/**
 * Every client mistake gets a 4xx and an OperationOutcome, never a 500 or a stack trace. Moved down from the
 * packaged-jar ITs (ClientErrorsIT): the embedded Tomcat, its valve and every filter are the same in the test JVM.
 */
class ClientErrorsContextTest extends ContextTest {

    @Nested
    class MalformedBodies {
        @Test
        void truncatedJson_is400() {
            assertClientError(
                            fhir().body("{\"resourceType\":\"Patient\",")
                                    .post("/Patient")
                                    .then(),
                            400)
                    .body("issue[0].diagnostics", containsString("JSON"));
        }

        @Test
        void jsonWithUnknownElement_is400RatherThanSilentlyDropped() {
            assertClientError(
                            fhir().body("{\"resourceType\":\"Patient\",\"shoeSize\":42}")
                                    .post("/Patient")
                                    .then(),
                            400)
                    .body("issue[0].diagnostics", containsString("shoeSize"));
        }

        @Test
        void malformedXml_is400() {
            assertClientError(
                    fhir().contentType("application/fhir+xml")
                            .body("<Patient xmlns=\"http://hl7.org/fhir\"><gender")
                            .post("/Patient")
                            .then(),
                    400);
        }

        @Test
        void xmlExternalEntity_isRefusedAndNotResolved() {
            String xxe = "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                    + "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"&x;\"/></Patient>";
            assertClientError(
                            fhir().contentType("application/fhir+xml")
                                    .body(xxe)
                                    .post("/Patient")
                                    .then(),
                            400)
                    .body(not(containsString("root:")));
        }

        @Test
        void nonFhirContentType_is4xx() {
            fhir().contentType("text/plain")
                    .body("hello")
                    .post("/Patient")
                    .then()
                    .statusCode(either(equalTo(400)).or(equalTo(415)));
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
        URI base = URI.create(fhirBase());
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
        HttpResponse<String> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(fhirBase() + "/Patient"))
                                .header("Content-Type", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new ByteArrayInputStream(justOver)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("OperationOutcome", "too-costly");
    }

    @Test
    void updateWithMismatchedId_is400() {
        assertClientError(
                fhir().body("{\"resourceType\":\"Patient\",\"id\":\"abc\"}")
                        .put("/Patient/xyz")
                        .then(),
                400);
    }

    /**
     * Numbers no database could hold are refused before the parser expands them. The values at and beyond what each
     * database can store are tested on H2 and PostgreSQL in integration-tests' {@code rest/ClientErrorsIT}.
     */
    @Test
    void numbersThatWouldExpandToMillionsOfDigits_areRefusedBeforeParsing() {
        for (String number : new String[] {"1e999999", "1e-999999", "1" + "0".repeat(100)}) {
            var response = fhir().body("{\"resourceType\":\"Observation\",\"status\":\"final\","
                            + "\"code\":{\"text\":\"storable\"},\"valueQuantity\":{\"value\":" + number + "}}")
                    .post("/Observation");
            assertThat(response.time()).as(number + " answered quickly").isLessThan(2_000L);
            assertClientError(response.then(), 400).body("issue[0].diagnostics", containsString("MCS-0411"));
        }
    }

    /**
     * Hostile or careless input, by class of problem: whichever layer catches it (HAPI, an up-front check, Spring,
     * Tomcat), the answer is a 4xx whose OperationOutcome starts with an MCS code and shows no internals.
     */
    @Nested
    class HostileInput {

        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiterString = " ; ",
                value = {
                    "negative _offset                   ; /Patient?_offset=-1                 ; 400 ; MCS-0451",
                    "_offset + _count beyond an int     ; /Patient?_offset=2147483647         ; 400 ; MCS-0451",
                    "negative _count                    ; /Patient?_count=-5                  ; 400 ; MCS-0451",
                    "$expand count not a number         ; /ValueSet/$expand?url=http://hl7.org/fhir/ValueSet/"
                            + "administrative-gender&count=abc ; 400 ; MCS-0451",
                    "export poll without _jobId         ; /$export-poll-status                ; 400 ; MCS-0452",
                    "stray % in a parameter             ; /Patient?name=%                     ; 400 ; MCS-0450",
                    "NUL in a search value              ; /Patient?name=a%00b                 ; 400 ; MCS-0450",
                    "control character in a token       ; /Patient?identifier=x%7Ca%01b       ; 400 ; MCS-0450",
                    "quantity the database cannot scale ; /Observation?value-quantity=ap1e-999999||mg ; 400 ; MCS-0453",
                    "number with a huge exponent        ; /RiskAssessment?probability=1e999999 ; 400 ; MCS-0453",
                    "telemetry series years overflow    ; /Device/x/$telemetry-series?channel=pump-flow"
                            + "&start=-999999999-01-01T00:00:00Z&end=%2B999999999-01-01T00:00:00Z ; 400 ; MCS-0722",
                    "unknown resource type              ; /Spaceship                          ; 404 ; MCS-0440",
                    "unknown id                         ; /Patient/does-not-exist             ; 404 ; MCS-0440",
                    "unparseable date                   ; /Patient?birthdate=garbage          ; 400 ; MCS-0400",
                    "_filter, which HAPI parsed first   ; /Task?_filter=abc                   ; 400 ; MCS-0456",
                })
        void parameters(String what, String path, int status, String code) throws Exception {
            // sent raw: HTTP client libraries refuse to send a stray % or an unencoded |, which real clients do send
            String response = raw("GET " + URI.create(fhirBase()).getPath() + path
                    + " HTTP/1.0\r\nAccept: application/fhir+json\r\n\r\n");
            assertRawNoInternals(response, status, code);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiterString = " ; ",
                value = {
                    "empty element name      ; application/fhir+json   ; {\"resourceType\":\"Patient\",\"\":1}"
                            + " ; 400 ; MCS-0400",
                    "Turtle body             ; application/fhir+turtle ; @prefix fhir: <http://hl7.org/fhir/> . "
                            + "[] a fhir:Patient . ; 415 ; MCS-0415",
                    "unknown element         ; application/fhir+json   ; {\"resourceType\":\"Patient\",\"shoeSize\":42}"
                            + " ; 400 ; MCS-0400",
                    "wrong resource type     ; application/fhir+json   ; {\"resourceType\":\"Observation\"} ; 400 ; MCS-0400",
                    "script in the narrative ; application/fhir+json   ; {\"resourceType\":\"Patient\",\"text\":{"
                            + "\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">"
                            + "<script>alert(1)</script></div>\"}} ; 400 ; MCS-0455",
                })
        void bodies(String what, String contentType, String body, int status, String code) {
            assertNoInternals(
                            fhir().contentType(contentType)
                                    .body(body.getBytes(StandardCharsets.UTF_8))
                                    .post("/Patient")
                                    .then(),
                            status,
                            code)
                    .contentType(containsString("application/fhir+json"));
        }

        /** Refused before the work is done: HAPI would fail writing a Turtle answer after storing the resource. */
        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiterString = " ; ",
                value = {
                    "Accept on a read          ; GET  ; /metadata ; text/turtle                ; ",
                    "_format on a read         ; GET  ; /Patient  ; application/fhir+json      ; ttl",
                    "Accept on a create        ; POST ; /Patient  ; application/fhir+turtle    ; ",
                    "_format on a create       ; POST ; /Patient  ; application/fhir+json      ; text/turtle",
                })
        void aTurtleAnswer_is406AndNothingIsStored(
                String what, String method, String path, String accept, String format) {
            String family = "Turtle" + Math.abs(what.hashCode());
            RequestSpecification request = fhir().accept(accept);
            if (format != null) {
                request.queryParam("_format", format);
            }
            if (method.equals("POST")) {
                request.body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]}");
            }
            assertNoInternals(request.request(method, path).then(), 406, "MCS-0406")
                    .contentType(containsString("application/fhir+json"));
            fhir().get("/Patient?family=" + family).then().statusCode(200).body("total", equalTo(0));
        }

        @Test
        void errorsAreXmlWhenXmlIsAskedFor() {
            for (var request : new RequestSpecification[] {
                fhir().accept("application/fhir+xml"), fhir().queryParam("_format", "xml")
            }) {
                String body = request.get("/Patient?_offset=-1")
                        .then()
                        .statusCode(400)
                        .contentType(containsString("application/fhir+xml"))
                        .extract()
                        .asString();
                assertThat(body).startsWith("<OperationOutcome").contains("value=\"MCS-0451: _offset");
            }
        }

        @Test
        void garbageIfModifiedSince_isNeverA5xx() {
            fhir().header("If-Modified-Since", "garbage").get("/Patient").then().statusCode(lessThan(500));
        }

        @Test
        void pathParameters_are400() {
            // Spring parses the path before Spring Security's firewall and used to fail on it with a 500
            assertNoInternals(
                    RestAssured.given()
                            .urlEncodingEnabled(false)
                            .get(fhirBase().replace("/fhir", "") + "/fhir;/Patient")
                            .then(),
                    400,
                    "MCS-0454");
        }

        @Test
        void dotSegmentsAndUnsupportedMethods_areRefusedBeforeTheyReachAnEndpoint() throws Exception {
            // Tomcat normalised /telemetry/../fhir/Patient to the FHIR servlet, whose path parsing then failed (500)
            assertRawNoInternals(raw("GET /telemetry/../fhir/Patient HTTP/1.0\r\n\r\n"), 400, "MCS-0454");
            assertRawNoInternals(raw("GET /fhir/Patient/%2e%2e/x HTTP/1.0\r\n\r\n"), 400, "MCS-0454");
            // the servlet layer answered CONNECT with 501, a server fault
            assertThat(raw("CONNECT /fhir/Patient HTTP/1.0\r\n\r\n")).contains("Allow: ");
            assertRawNoInternals(raw("CONNECT /fhir/Patient HTTP/1.0\r\n\r\n"), 405, "MCS-0405");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"transaction", "batch"})
        void bundleEntriesWithoutARequest_are400NamingTheEntry(String type) {
            String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":["
                    + "{\"resource\":{\"resourceType\":\"Patient\"},"
                    + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                    + "{\"resource\":{\"resourceType\":\"Patient\"}}]}";
            assertNoInternals(fhir().body(bundle).post("/").then(), 400, "MCS-0432")
                    .body("issue[0].expression[0]", equalTo("Bundle.entry[1].request"));
        }

        @Test
        void theFirewallsRefusals_are400() {
            assertNoInternals(
                    RestAssured.given()
                            .urlEncodingEnabled(false)
                            .get(fhirBase() + "/Patient%25")
                            .then(),
                    400,
                    "MCS-0454");
        }

        @Test
        void springMvcErrorsOnTheTelemetryGateway_areOperationOutcomes() {
            String root = fhirBase().replace("/fhir", "");
            assertNoInternals(
                    RestAssured.given()
                            .get(root + "/telemetry/v1/no-such-thing")
                            .then(),
                    404,
                    "MCS-0440");
            assertNoInternals(
                    RestAssured.given()
                            .delete(root + "/telemetry/v1/devices/x/samples")
                            .then(),
                    405,
                    "MCS-0405");
        }

        /** Refused by Tomcat before any application code runs; Tomcat's HTML error page is replaced. */
        @ParameterizedTest(name = "{0}")
        @ValueSource(
                strings = {
                    "GET /fhir/Patient?x=<> HTTP/1.1\r\n\r\n",
                    "GET /fhir/Patient HTTP/1.1\r\nX-Big: %s\r\n\r\n",
                    "POST /fhir/Patient HTTP/1.1\r\nContent-Type: application/fhir+json\r\nContent-Length: abc\r\n\r\n",
                    "GET /fhir/Patient%2F1 HTTP/1.1\r\n\r\n",
                })
        void connectorLevelErrors_areOperationOutcomes(String request) throws Exception {
            String response = raw(request.replace("%s", "a".repeat(20 * 1024)));
            assertThat(response).doesNotContain("<html", "Tomcat");
            assertRawNoInternals(response, 400, "MCS-0400");
        }
    }

    /**
     * What one raw request gets back (the whole response; the connection is closed by the server). A Host header is
     * added after the request line.
     */
    private static String raw(String request) throws Exception {
        request = request.replaceFirst("\r\n", "\r\nHost: localhost\r\nConnection: close\r\n");
        URI base = URI.create(fhirBase());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** {@link #assertNoInternals} for a raw response (not chunked: HTTP/1.0, or written with a Content-Length). */
    private static void assertRawNoInternals(String response, int status, String code) {
        assertThat(response).startsWith("HTTP/1.1 " + status + " ");
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        var json = JsonPath.from(body);
        assertThat(json.getString("resourceType")).isEqualTo("OperationOutcome");
        assertThat(json.getString("issue[0].severity")).isEqualTo("error");
        assertThat(json.getString("issue[0].diagnostics")).startsWith(code + ": ");
        assertThat(body).doesNotContain("java.", "org.", "Exception", "SQL", "HAPI-", "\tat ");
    }

    /** A client error with the given MCS code first and nothing that shows how the server is built. */
    private static ValidatableResponse assertNoInternals(ValidatableResponse response, int status, String code) {
        return assertClientError(response, status)
                .body("issue[0].diagnostics", startsWith(code + ": "))
                .body(not(containsString("java.")))
                .body(not(containsString("org.")))
                .body(not(containsString("Exception")))
                .body(not(containsString("SQL")))
                .body(not(containsString("HAPI-")));
    }
}
