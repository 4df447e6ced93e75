package org.mcsfhir.it.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.it.nodes.TwoNodes.fhir;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.Race;
import org.mcsfhir.it.support.ServerProcess;
import org.mcsfhir.it.support.TestServer;
import org.mcsfhir.testsupport.WorklistTasks;

/**
 * Two nodes on one PostgreSQL database behave as one server: what one node writes the other reads and finds at once,
 * races between the nodes leave one resource and one winner, a bulk export can be followed on either node by the
 * client that started it and nobody else, the telemetry gateway and the background work of both nodes (window
 * materialisation, worklist passes, batch2 maintenance) store everything once, and no per-node cache lets one node
 * accept what the other refuses. Terminology caches across nodes: {@code TerminologyAcrossNodesIT}.
 */
class TwoNodesIT {

    private static final String TEST_SYSTEM = "https://mcs-fhir.org/fhir/sid/it-two-nodes";
    private static final String WINDOW_SYSTEM = "https://mcs-fhir.org/fhir/sid/telemetry-window";
    private static final String WORKLIST_SYSTEM = "https://mcs-fhir.org/fhir/sid/worklist-item";

    private static TwoNodes nodes;
    private static ServerProcess a;
    private static ServerProcess b;
    private static String centre;
    private static String ehr;
    private static String otherEhr;
    private static String gateway;
    private static String registry;
    private static String otherRegistry;

    @BeforeAll
    static void startTwoNodes() {
        Assumptions.assumeTrue(TestServer.database().equals("postgres"), "two nodes share a PostgreSQL database");
        nodes = TwoNodes.start();
        a = nodes.a;
        b = nodes.b;
        String admin = nodes.token("it-nodes-admin", "admin", null, "system/Organization.cruds", false);
        centre = created(fhir(a, admin)
                .body("{\"resourceType\":\"Organization\",\"name\":\"Centre N\"}")
                .post("/Organization"));
        String other = created(fhir(a, admin)
                .body("{\"resourceType\":\"Organization\",\"name\":\"Centre M\"}")
                .post("/Organization"));
        ehr = nodes.token("it-nodes-ehr", "ehr", centre, "system/*.cruds", false);
        otherEhr = nodes.token("it-nodes-ehr-other", "ehr", other, "system/*.cruds", false);
        gateway = nodes.token("it-nodes-gateway", "device-gateway", centre, "system/Observation.cu", false);
        registry = nodes.token("it-nodes-registry", "registry", null, "system/*.rs", true);
        otherRegistry = nodes.token("it-nodes-registry-2", "registry", null, "system/*.rs", true);
    }

    @AfterAll
    static void stopTwoNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void aWriteOnA_isReadAndFoundOnBAtOnce_andADeleteIsSeenAtOnce() {
        String value = unique();
        String id = created(fhir(a, ehr).body(patient(value, "Before")).post("/Patient"));

        fhir(b, ehr).get("/Patient/" + id).then().statusCode(200);
        assertThat(total(fhir(b, ehr).queryParam("identifier", TEST_SYSTEM + "|" + value)))
                .isEqualTo(1);
        // the centre's patient list is looked up per request on every node: the other centre is refused on B too
        fhir(b, otherEhr).get("/Patient/" + id).then().statusCode(403);

        fhir(a, ehr)
                .body(patient(value, "After").replaceFirst("\\{", "{\"id\":\"" + id + "\","))
                .put("/Patient/" + id)
                .then()
                .statusCode(200);
        Response onB = fhir(b, ehr).get("/Patient/" + id);
        assertThat(onB.jsonPath().getString("meta.versionId")).isEqualTo("2");
        assertThat(onB.jsonPath().getString("name[0].family")).isEqualTo("After");
        assertThat(total(
                        fhir(b, ehr).queryParam("family", "After").queryParam("identifier", TEST_SYSTEM + "|" + value)))
                .isEqualTo(1);

        fhir(a, ehr).delete("/Patient/" + id).then().statusCode(200);
        fhir(b, ehr).get("/Patient/" + id).then().statusCode(410);
        assertThat(total(fhir(b, ehr).queryParam("identifier", TEST_SYSTEM + "|" + value)))
                .isZero();
    }

    @Test
    void aConditionalCreateRacedOnBothNodes_createsOneResource() throws Exception {
        String patient =
                created(fhir(a, ehr).body(patient(unique(), "Conditional")).post("/Patient"));
        for (int round = 0; round < 3; round++) {
            String value = unique();
            String condition = "identifier=" + TEST_SYSTEM + "|" + value;
            List<Response> answers = race(
                    List.of(a, b, a, b),
                    node -> fhir(node, ehr)
                            .header("If-None-Exist", condition)
                            .header("Prefer", "return=representation")
                            .body(observation(patient, value))
                            .post("/Observation"));

            assertThat(answers)
                    .extracting(Response::statusCode)
                    .as(describe(answers))
                    .containsOnly(200, 201)
                    .filteredOn(status -> status == 201)
                    .hasSize(1);
            assertThat(answers)
                    .extracting(answer -> answer.path("id").toString())
                    .containsOnly(answers.get(0).path("id").toString());
            assertThat(total(
                            fhir(b, ehr)
                                    .queryParam("identifier", TEST_SYSTEM + "|" + value)
                                    .queryParam("_summary", "count"),
                            "/Observation"))
                    .isEqualTo(1);
        }
    }

    @Test
    void anIfMatchUpdateRacedOnBothNodes_hasOneWinnerAndOneConflict() throws Exception {
        for (int round = 0; round < 3; round++) {
            String value = unique();
            String id = created(fhir(a, ehr).body(patient(value, "Version1")).post("/Patient"));
            List<ServerProcess> both = List.of(a, b);
            List<Response> answers = race(
                    both,
                    node -> fhir(node, ehr)
                            .header("If-Match", "W/\"1\"")
                            .body(patient(value, node == a ? "FromA" : "FromB")
                                    .replaceFirst("\\{", "{\"id\":\"" + id + "\","))
                            .put("/Patient/" + id));

            List<Integer> statuses =
                    answers.stream().map(Response::statusCode).sorted().toList();
            assertThat(statuses).as(describe(answers)).hasSize(2).contains(200);
            assertThat(statuses.get(1)).as(describe(answers)).isIn(409, 412);
            Response stored = fhir(b, ehr).get("/Patient/" + id);
            assertThat(stored.jsonPath().getString("meta.versionId")).isEqualTo("2");
            String winner = answers.get(0).statusCode() == 200 ? "FromA" : "FromB";
            assertThat(stored.jsonPath().getString("name[0].family")).isEqualTo(winner);
            assertThat(total(fhir(a, ehr), "/Patient/" + id + "/_history"))
                    .as("versions")
                    .isEqualTo(2);
        }
    }

    @Test
    void aBulkExportStartedOnA_isFollowedAndDownloadedOnB_byTheSameClientOnly_withEachPatientOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(created(fhir(a, ehr).body(patient(unique(), "Exported")).post("/Patient")));
        }
        Response started = fhir(a, registry).header("Prefer", "respond-async").get("/Patient/$export?_type=Patient");
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        String status = pathOnNode(started.header("Content-Location"));

        fhir(b, otherRegistry).get(status).then().statusCode(403);
        Response manifest = fhir(b, registry).get(status);
        Instant deadline = Instant.now().plusSeconds(120);
        while (manifest.statusCode() == 202 && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            manifest = fhir(b, registry).get(status);
        }
        assertThat(manifest.statusCode()).as(manifest.asString()).isEqualTo(200);

        StringBuilder all = new StringBuilder();
        for (String url : manifest.jsonPath().getList("output.url", String.class)) {
            fhir(b, otherRegistry)
                    .accept("application/fhir+ndjson")
                    .get(pathOnNode(url))
                    .then()
                    .statusCode(403);
            Response file = fhir(b, registry).accept("application/fhir+ndjson").get(pathOnNode(url));
            assertThat(file.statusCode()).as(url).isEqualTo(200);
            all.append(file.asString()).append('\n');
        }
        // batch2 maintenance runs on both nodes; had both processed a work chunk, a patient would appear twice
        for (String id : ids) {
            assertThat(occurrences(all.toString(), "\"id\":\"" + id + "\""))
                    .as("Patient/" + id)
                    .isEqualTo(1);
        }
    }

    @Test
    void theSameSamplesSentToBothNodes_areStoredOnce_andEachWindowIsWrittenOnce() throws Exception {
        Pump pump = Pump.create();
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
        StringBuilder body = new StringBuilder();
        for (int s = 0; s < 180; s++) {
            body.append("{\"time\":\"")
                    .append(start.plusSeconds(s))
                    .append("\",\"pump-flow\":")
                    .append(2 + s / 1000.0)
                    .append("}\n");
        }
        List<Response> answers = race(List.of(a, b, a, b), node -> samples(node, pump.device, body.toString()));

        int accepted = 0;
        int duplicates = 0;
        for (Response answer : answers) {
            assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
            accepted += answer.jsonPath().getInt("accepted");
            duplicates += answer.jsonPath().getInt("duplicates");
        }
        assertThat(accepted).isEqualTo(180);
        assertThat(duplicates).isEqualTo(3 * 180);
        String[] flow = fhir(b, ehr)
                .queryParam("channel", "pump-flow")
                .queryParam("start", start.toString())
                .queryParam("end", start.plusSeconds(180).toString())
                .get("/Device/" + pump.device + "/$telemetry-series")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("valueSampledData.data")
                .split(" ");
        assertThat(flow).hasSize(180);
        assertThat(Double.parseDouble(flow[179])).isEqualTo(2.179);

        // both nodes' materializers drain the same queue; a window's Observation has an id derived from the window
        Map<String, Integer> windows = new HashMap<>();
        eventually(
                Duration.ofSeconds(90),
                () -> {
                    windows.clear();
                    List<String> identifiers = fhir(b, registry)
                            .queryParam("device", "Device/" + pump.device)
                            .queryParam("_count", 50)
                            .get("/Observation")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getList(
                                    "entry.resource.identifier.flatten().findAll { it.system == '" + WINDOW_SYSTEM
                                            + "' }.value",
                                    String.class);
                    identifiers.forEach(identifier -> windows.merge(identifier, 1, Integer::sum));
                    return windows.size() == 3;
                },
                "three window Observations");
        assertThat(windows.values()).as(windows.toString()).containsOnly(1);
    }

    @Test
    void worklistPassesOnBothNodes_writeEachTaskOnce_andRepeatedPassesRewriteNothing() throws Exception {
        String patient =
                created(fhir(a, ehr).body(patient(unique(), "Worklist")).post("/Patient"));
        String insertion = "Procedure/"
                + created(fhir(a, ehr)
                        .body(insertion(patient, Instant.now().minus(Duration.ofDays(40))))
                        .post("/Procedure"));
        String refresh = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"insertion\",\"valueReference\":"
                + "{\"reference\":\"" + insertion + "\"}}]}";
        // the write on A announced the insertion to A's worklist thread; B and A are asked to reconcile it as well
        List<Response> answers = race(
                List.of(a, b, b), node -> fhir(node, registry).body(refresh).post("/Task/$worklist-refresh"));
        assertThat(answers)
                .extracting(Response::statusCode)
                .as(describe(answers))
                .containsOnly(200);

        List<String> before = tasks(insertion);
        assertThat(before).isNotEmpty();
        assertThat(before.stream()
                        .map(task -> task.substring(0, task.indexOf('@')))
                        .distinct())
                .as("one Task per item")
                .hasSameSizeAs(before);

        race(List.of(a, b), node -> fhir(node, registry).body(refresh).post("/Task/$worklist-refresh"));
        race(
                List.of(a, b),
                node -> fhir(node, registry)
                        .body("{\"resourceType\":\"Parameters\"}")
                        .post("/Task/$worklist-refresh"));
        assertThat(tasks(insertion))
                .as("identifier@version:status after passes on both nodes")
                .isEqualTo(before);
    }

    @Test
    void aGatewayRefusedOnA_isRefusedOnB_althoughBCachedTheDevice() {
        Pump pump = Pump.create();
        // B resolves the device (and caches its links for mcs.telemetry.device-cache-ttl) before it parses the body
        assertThat(samples(b, pump.device, "not a sample\n").statusCode()).isEqualTo(400);

        fhir(a, ehr).delete("/Device/" + pump.device).then().statusCode(200);

        String sample = "{\"time\":\"" + Instant.now().minusSeconds(60) + "\",\"pump-flow\":3.1}\n";
        assertThat(samples(a, pump.device, sample).statusCode()).isEqualTo(403);
        assertThat(samples(b, pump.device, sample).statusCode()).isEqualTo(403);
    }

    // --- data ---

    /** A patient of the centre with the pump implanted in it, written by the centre's EHR on node A. */
    private record Pump(String patientId, String device) {

        static Pump create() {
            String patient =
                    created(fhir(a, ehr).body(patient(unique(), "Pump")).post("/Patient"));
            String device = created(
                    fhir(a, ehr).body("""
                    {"resourceType":"Device","serialNumber":"%s","owner":{"reference":"Organization/%s"},
                     "patient":{"reference":"Patient/%s"}}""".formatted(unique(), centre, patient)).post("/Device"));
            return new Pump(patient, device);
        }
    }

    private static String patient(String identifier, String family) {
        return """
                {"resourceType":"Patient","identifier":[{"system":"%s","value":"%s"}],
                 "name":[{"family":"%s"}],"gender":"female","birthDate":"1967-09-14",
                 "managingOrganization":{"reference":"Organization/%s"}}""".formatted(TEST_SYSTEM, identifier, family, centre);
    }

    private static String observation(String patient, String identifier) {
        return """
                {"resourceType":"Observation","status":"final","identifier":[{"system":"%s","value":"%s"}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"2524-7"}]},"subject":{"reference":"Patient/%s"},
                 "valueQuantity":{"value":2.1,"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"}}""".formatted(TEST_SYSTEM, identifier, patient);
    }

    /** A pump insertion as the worklist reads it (SNOMED 232967006), without consent or follow-up. */
    private static String insertion(String patient, Instant start) {
        return """
                {"resourceType":"Procedure","status":"completed",
                 "code":{"coding":[{"system":"http://snomed.info/sct","code":"232967006"}]},
                 "subject":{"reference":"Patient/%s"},"performedPeriod":{"start":"%s"}}""".formatted(patient, start);
    }

    // --- requests ---

    private static Response samples(ServerProcess node, String device, String ndjson) {
        return RestAssured.given()
                .header("Authorization", "Bearer " + gateway)
                .contentType("application/x-ndjson")
                .accept("application/json, application/fhir+json")
                .body(ndjson.getBytes(StandardCharsets.UTF_8))
                .post(node.root() + "/telemetry/v1/devices/" + device + "/samples");
    }

    /** The worklist Tasks of an insertion as {@code identifier@version:status}, sorted, read on node B. */
    private static List<String> tasks(String insertion) {
        List<String> tasks = new ArrayList<>();
        for (Map<String, Object> task : WorklistTasks.of(fhir(b, registry), insertion)) {
            String identifier = ((List<?>) task.get("identifier"))
                    .stream()
                            .map(Map.class::cast)
                            .filter(id -> WORKLIST_SYSTEM.equals(id.get("system")))
                            .map(id -> id.get("value").toString())
                            .findFirst()
                            .orElse("none");
            tasks.add(identifier + "@" + ((Map<?, ?>) task.get("meta")).get("versionId") + ":" + task.get("status"));
        }
        return tasks.stream().sorted().toList();
    }

    /** Sends one request per listed node, all released together, and returns the answers in the same order. */
    private static List<Response> race(List<ServerProcess> targets, NodeRequest request) throws Exception {
        return Race.all(targets.stream()
                .map(node -> (Callable<Response>) () -> request.send(node))
                .toList());
    }

    /** One request to a given node. */
    private interface NodeRequest {
        Response send(ServerProcess node);
    }

    private static int total(RequestSpecification search) {
        return total(search.queryParam("_summary", "count"), "/Patient");
    }

    private static int total(RequestSpecification request, String path) {
        return request.get(path).then().statusCode(200).extract().path("total");
    }

    private static String created(Response response) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(201);
        return response.path("id");
    }

    /** The path below {@code /fhir} of an absolute URL one node wrote, to be asked of either node. */
    private static String pathOnNode(String url) {
        return url.substring(url.indexOf("/fhir/") + "/fhir".length());
    }

    private static String describe(List<Response> answers) {
        return answers.stream()
                .map(answer -> answer.statusCode() + " " + answer.asString())
                .toList()
                .toString();
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static void eventually(Duration limit, Supplier<Boolean> condition, String what)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(500);
        }
        assertThat(condition.get()).as(what + " within " + limit).isTrue();
    }

    private static String unique() {
        return UUID.randomUUID().toString();
    }
}
