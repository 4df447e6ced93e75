package org.mcsfhir.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.tier.ContextTest;

/**
 * No single request body can exhaust the server (docs/security.md, "Request body limits"): hostile bodies of every
 * kind are refused quickly with an OperationOutcome, a full telemetry request still passes, and other clients are
 * served meanwhile. Moved down from the packaged-jar ITs (RequestLimitsIT): nothing here needs the jar's process; that
 * legitimate large bodies (a large Binary, a 5,000-entry Bundle) pass and are stored stays there, on each database.
 */
class RequestLimitsContextTest extends ContextTest {

    static final String JSON = "application/fhir+json";
    static final String XML = "application/fhir+xml";
    static final String PATIENT_PROFILE = "https://mcs-fhir.org/fhir/StructureDefinition/mcs-patient";
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** The second client, on its own connections, that must be served while the hostile bodies arrive. */
    static final HttpClient BYSTANDER =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static byte[] gzipBomb;

    @BeforeAll
    static void bomb() throws IOException {
        // 300 MB of spaces inside a JSON string: about 300 KB on the wire
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write("{\"resourceType\":\"Patient\",\"id\":\"".getBytes(StandardCharsets.UTF_8));
            byte[] spaces = " ".repeat(1024 * 1024).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 300; i++) {
                gz.write(spaces);
            }
            gz.write("\"}".getBytes(StandardCharsets.UTF_8));
        }
        gzipBomb = out.toByteArray();
    }

    @Test
    void gzipBomb_is413Quickly_andTheServerKeepsAnswering() throws Exception {
        assertThat(gzipBomb.length).isLessThan(1024 * 1024);
        Answer answer = post("/Patient", JSON, gzipBomb, true);
        answer.assertRefused(413, "MCS-0413", "mcs.limits.max-decompressed-size");
        assertThat(answer.millis).isLessThan(5_000);
        assertThat(get("/metadata").status).isEqualTo(200);
    }

    @Test
    void gzipOfASmallPatient_isCreated() throws Exception {
        byte[] patient = "{\"resourceType\":\"Patient\",\"gender\":\"female\"}".getBytes(StandardCharsets.UTF_8);
        Answer answer = post("/Patient", JSON, gzip(patient), true);
        assertThat(answer.status).as(answer.body).isEqualTo(201);
        assertThat(answer.body).contains("\"gender\":\"female\"");
    }

    @Test
    void gzipOfTooDeepJson_is400() throws Exception {
        String deep = "{\"resourceType\":\"Patient\",\"x\":" + "[".repeat(200) + "]".repeat(200) + "}";
        post("/Patient", JSON, gzip(deep.getBytes(StandardCharsets.UTF_8)), true)
                .assertRefused(400, "MCS-0410", "mcs.security.max-json-depth");
    }

    @Test
    void unknownContentEncoding_is415() {
        fhir().header("Content-Encoding", "br")
                .body("{}")
                .post("/Patient")
                .then()
                .statusCode(415)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", startsWith("MCS-0484"));
    }

    @Test
    void fiftyThousandExtensions_are400Quickly() throws Exception {
        Answer answer = post("/Patient", JSON, utf8(extensionsPatient(50_000)), false);
        answer.assertRefused(400, "MCS-0483", "mcs.limits.max-extensions");
        assertThat(answer.millis).isLessThan(5_000);
    }

    @Test
    void extensionsUpToTheLimit_reachProfileValidation_andAreAnsweredQuickly() throws Exception {
        // the Patient lacks what mcs-patient requires: the validator's 422 shows the limits let it through
        Answer answer = post("/Patient", JSON, utf8(extensionsPatient(200)), false);
        assertThat(answer.status).as(answer.body).isEqualTo(422);
        assertThat(answer.body).contains("MCS-0422").doesNotContain("MCS-0483");
        assertThat(answer.millis).isLessThan(5_000);
    }

    @Test
    void hugeArray_is400() throws Exception {
        post("/Patient", JSON, utf8(givenNames(20_000)), false)
                .assertRefused(400, "MCS-0481", "mcs.limits.max-array-length");
    }

    @Test
    void tooManyValuesInOneResource_is400() throws Exception {
        post("/Patient", JSON, utf8(givenNames(6_000)), false)
                .assertRefused(400, "MCS-0480", "mcs.limits.max-resource-values");
    }

    @Test
    void hugeString_is400() throws Exception {
        post("/Patient", JSON, utf8(hugeName()), false).assertRefused(400, "MCS-0482", "mcs.limits.max-string-length");
    }

    @Test
    void hugeXml_isRefusedByTheStreamingScan() throws Exception {
        post("/Patient", XML, utf8(xmlElements(60_000)), false)
                .assertRefused(400, "MCS-0480", "mcs.limits.max-resource-values");
        post("/Patient", XML, utf8(xmlExtensions(50_000)), false)
                .assertRefused(400, "MCS-0483", "mcs.limits.max-extensions");
        post("/Bundle", "application/xml", utf8(xmlEntries(20_000)), false)
                .assertRefused(400, "MCS-0481", "mcs.limits.max-array-length");
    }

    /** A large JSON array passes the limits (large bodies being stored: RequestLimitsIT, on each database). */
    @Test
    void aFullTelemetryRequest_passesTheLimits() throws Exception {
        // 200,000 values in one JSON array: the limits let it through to the gateway, which finds no such device
        StringBuilder samples = new StringBuilder("[");
        for (int i = 0; i < 200_000; i++) {
            samples.append(i == 0 ? "" : ",").append("{\"time\":\"2026-03-10T15:00:00Z\",\"pump-flow\":3.3}");
        }
        samples.append("]");
        String telemetry = root() + "/telemetry/v1/devices/no-such-pump/samples";
        HttpRequest request = HttpRequest.newBuilder(URI.create(telemetry))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(samples.toString()))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(response.body()).contains("MCS-0708");
    }

    @Test
    void whileTheWorstBodiesAreSent_metadataKeepsAnswering() throws Exception {
        List<byte[]> jsonBodies = List.of(
                utf8(extensionsPatient(50_000)), utf8(givenNames(20_000)), utf8(givenNames(6_000)), utf8(hugeName()));
        List<byte[]> xmlBodies =
                List.of(utf8(xmlElements(60_000)), utf8(xmlExtensions(50_000)), utf8(xmlEntries(20_000)));
        assertThat(get("/metadata").status).isEqualTo(200);
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try {
            List<Future<Answer>> sent = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                sent.add(senders.submit(() -> post("/Patient", JSON, gzipBomb, true)));
                jsonBodies.forEach(body -> sent.add(senders.submit(() -> post("/Patient", JSON, body, false))));
                xmlBodies.forEach(body -> sent.add(senders.submit(() -> post("/Patient", XML, body, false))));
            }
            List<Long> metadataMillis = new ArrayList<>();
            while (sent.stream().anyMatch(f -> !f.isDone())) {
                Answer metadata = metadata();
                assertThat(metadata.status).isEqualTo(200);
                metadataMillis.add(metadata.millis);
            }
            for (Future<Answer> future : sent) {
                assertThat(future.get().status).as(future.get().body).isIn(400, 413);
            }
            // As LargeBundleIT: at least half the answers within a second, none held up for long. The server shares
            // this JVM
            // (and its collector) with the test, so one answer can meet a pause of the whole process; a server
            // without the limits parses these bodies for minutes.
            assertThat(metadataMillis)
                    .isNotEmpty()
                    .allSatisfy(millis -> assertThat(millis).isLessThan(5_000));
            assertThat(metadataMillis.stream().filter(millis -> millis < 1_000).count())
                    .as("metadata answers within 1 s of %s", metadataMillis)
                    .isGreaterThanOrEqualTo(metadataMillis.size() / 2);
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void transactionsAndBatchesOverTheEntryLimit_are413_storeNothing_andTheLimitIsAdvertised() throws Exception {
        String code = "entry-limit-" + System.nanoTime();
        for (String type : List.of("transaction", "batch")) {
            post("", JSON, utf8(basicBundle(type, code, 1_001)), false)
                    .assertRefused(
                            413, "MCS-0485", "1001 entries", "at most 1000", "mcs.limits.max-transaction-entries");
            String xml = "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"" + type + "\"/>"
                    + ("<entry><resource><Basic><code><coding><system value=\"urn:example\"/><code value=\"" + code
                                    + "\"/></coding></code></Basic></resource><request><method value=\"POST\"/>"
                                    + "<url value=\"Basic\"/></request></entry>")
                            .repeat(1_001)
                    + "</Bundle>";
            post("", XML, utf8(xml), false).assertRefused(413, "MCS-0485", "1001 entries");
        }
        assertThat(get("/Basic?code=urn:example%7C" + code + "&_summary=count").body)
                .contains("\"total\":0");
        // a Bundle at the limit is processed: LargeBundleIT
        String metadata = get("/metadata").body;
        assertThat(metadata)
                .contains(
                        "At most 1000 entries per transaction or batch Bundle",
                        "mcs.limits.max-transaction-entries",
                        "mcs.fhir.max-request-size");
    }

    static String basicBundle(String type, String code, int entries) {
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[");
        for (int i = 0; i < entries; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"resource\":{\"resourceType\":\"Basic\",\"code\":{\"coding\":[{")
                    .append("\"system\":\"urn:example\",\"code\":\"")
                    .append(code)
                    .append("\"}]}},")
                    .append("\"request\":{\"method\":\"POST\",\"url\":\"Basic\"}}");
        }
        return json.append("]}").toString();
    }

    static String extensionsPatient(int count) {
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Patient\",\"meta\":{\"profile\":[\"")
                .append(PATIENT_PROFILE)
                .append("\"]},\"gender\":\"female\",\"extension\":[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"url\":\"http://example.org/fhir/StructureDefinition/x")
                    .append(i)
                    .append("\",\"valueString\":\"some value ")
                    .append(i)
                    .append("\"}");
        }
        return json.append("]}").toString();
    }

    static String givenNames(int count) {
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Patient\",\"name\":[{\"given\":[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("\" g").append(i).append("\"");
        }
        return json.append("]}]}").toString();
    }

    static String hugeName() {
        return "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}]}";
    }

    static String xmlElements(int count) {
        return "<Patient xmlns=\"http://hl7.org/fhir\"><name>" + "<given value=\"g\"/>".repeat(count)
                + "</name></Patient>";
    }

    static String xmlEntries(int count) {
        return "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/>"
                + "<entry><fullUrl value=\"urn:uuid:x\"/></entry>".repeat(count) + "</Bundle>";
    }

    static String xmlExtensions(int count) {
        return "<Patient xmlns=\"http://hl7.org/fhir\">"
                + "<extension url=\"http://example.org/x\"><valueString value=\"v\"/></extension>".repeat(count)
                + "</Patient>";
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Answer post(String path, String contentType, byte[] body, boolean gzipped) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fhirBase() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .header("Accept", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (gzipped) {
            request.header("Content-Encoding", "gzip");
        }
        long start = System.nanoTime();
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response, (System.nanoTime() - start) / 1_000_000);
    }

    static Answer metadata() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fhirBase() + "/metadata"))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", JSON)
                .GET()
                .build();
        long start = System.nanoTime();
        HttpResponse<String> response = BYSTANDER.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response, (System.nanoTime() - start) / 1_000_000);
    }

    static Answer get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fhirBase() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", JSON)
                .GET()
                .build();
        long start = System.nanoTime();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response, (System.nanoTime() - start) / 1_000_000);
    }

    record Answer(int status, String body, long millis) {
        Answer(HttpResponse<String> response, long millis) {
            this(response.statusCode(), response.body(), millis);
        }

        void assertRefused(int expectedStatus, String code, String... mentions) {
            assertThat(status).as(body).isEqualTo(expectedStatus);
            assertThat(body)
                    .contains("\"resourceType\":\"OperationOutcome\"", "\"diagnostics\":\"" + code)
                    .contains(mentions);
        }
    }
}
