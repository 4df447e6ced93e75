package org.mcsfhir.it.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mcsfhir.it.telemetry.Mllp.obx;
import static org.mcsfhir.it.telemetry.Mllp.oru;
import static org.mcsfhir.it.telemetry.Telemetry.eventually;
import static org.mcsfhir.it.telemetry.Telemetry.fhir;
import static org.mcsfhir.it.telemetry.Telemetry.line;

import io.restassured.response.Response;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.mcsfhir.it.support.OwnDatabase;
import org.mcsfhir.it.support.ServerProcess;
import org.mcsfhir.it.support.TestServer;

/**
 * A server whose PostgreSQL goes away and comes back (PostgreSQL run only: the embedded H2 default cannot be
 * unreachable). Every kind of client gets a prompt, retryable refusal and nothing is half-written: FHIR reads,
 * writes and transactions 503 with Retry-After and an OperationOutcome, the NDJSON gateway 503, HL7 v2 an AR. When
 * the database is back the server serves again without a restart, and the AuditEvent of a refused request, held in
 * memory meanwhile, is stored. Stopped while its database is gone, the server exits within seconds and writes the
 * AuditEvents it could not store to its log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseOutageIT {

    private static final String CENTRE = "outage-centre";
    private static final String FACILITY = "OUTAGE-ICU";
    /** Hikari's connection-timeout (5 s) once or twice, with room for a loaded machine. */
    private static final Duration PROMPT = Duration.ofSeconds(25);

    private static Path dataDir;
    private static int port;
    private static EmbeddedPostgres postgres;
    private static ServerProcess server;
    private static int mllpPort;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(TestServer.database().equals("postgres"), "needs a database that can go away: PostgreSQL run only");
        dataDir = Files.createTempDirectory("outage-pg");
        port = ServerProcess.freePort();
        startDatabase();
        mllpPort = ServerProcess.freePort();
        Map<String, String> settings = new LinkedHashMap<>(OwnDatabase.postgresSettings(postgres));
        settings.put("mcs.data-dir", TestServer.newDataDir().toString());
        settings.put(TestServer.MLLP_PORT, Integer.toString(mllpPort));
        settings.put("mcs.telemetry.mllp.senders[0].facility", FACILITY);
        settings.put("mcs.telemetry.mllp.senders[0].centre", CENTRE);
        server = ServerProcess.start("database-outage", settings);
    }

    /** The same data directory and port each time, so that the server's pool finds it again. */
    private static void startDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.kill();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void everyClientKindIsRefusedPromptlyAndRetryably_andNothingIsLostWhenTheDatabaseIsBack() throws Exception {
        String fhirBase = server.fhirBase();
        Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
        String mllpPump = Telemetry.ownedPump(fhirBase, "outage-mllp", CENTRE, "Outage centre", "male", "1958-02-01");
        assertThat(failedGatewayAuditEvents(fhirBase)).isZero();

        postgres.close();

        assertRetryable(() -> fhir(fhirBase).get("/Patient/" + pump.patientId()), "read");
        assertRetryable(() -> fhir(fhirBase).get("/Observation?subject=Patient/" + pump.patientId()), "search");
        assertRetryable(() -> fhir(fhirBase).body(patient("outage-create")).post("/Patient"), "create");
        assertRetryable(
                () -> fhir(fhirBase).body("""
                                {"resourceType":"Bundle","type":"transaction","entry":[{"resource":%s,
                                 "request":{"method":"POST","url":"Patient"}}]}""".formatted(patient("outage-tx"))).post("/"), "transaction");
        assertRetryable(() -> pump.post(line(Instant.now().minusSeconds(60), "\"pump-flow\":3.1")), "NDJSON samples");
        try (Mllp mllp = new Mllp(mllpPort)) {
            Instant sent = Instant.now();
            Mllp.Ack ack = mllp.send(oru(
                    FACILITY,
                    "GW",
                    "OUTAGE-1",
                    List.of(obx("NM", "pump-flow", "3.2", "L/min", Instant.now().minusSeconds(30), mllpPump))));
            assertThat(Duration.between(sent, Instant.now())).isLessThan(PROMPT);
            assertThat(ack.code()).isEqualTo("AR");
            assertThat(ack.errorText()).startsWith("MCS-0745").contains("send again");
        }

        startDatabase();
        eventually(
                Duration.ofSeconds(60),
                () -> fhir(fhirBase).get("/Patient/" + pump.patientId()).statusCode() == 200,
                "reads served again without a restart");
        for (String refused : List.of("outage-create", "outage-tx")) {
            assertThat(fhir(fhirBase)
                            .get("/Patient?identifier=https://example.org/outage|" + refused)
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getList("entry"))
                    .as("a write refused in the outage stored nothing")
                    .isNullOrEmpty();
        }
        fhir(fhirBase).body(patient("after-outage")).post("/Patient").then().statusCode(201);
        // the gateway's AuditEvent of the refused NDJSON request waited in memory for the database
        eventually(
                Duration.ofSeconds(60),
                () -> failedGatewayAuditEvents(fhirBase) == 1,
                "the AuditEvent raised during the outage stored once the database is back");
    }

    @Test
    @Order(2)
    void stoppedWhileTheDatabaseIsGone_exitsWithinSeconds_andLogsTheAuditEventsNotStored() throws Exception {
        Telemetry.Pump pump = Telemetry.Pump.create(server.fhirBase(), false);
        postgres.close();
        assertRetryable(() -> pump.post(line(Instant.now().minusSeconds(60), "\"pump-flow\":2.9")), "NDJSON samples");

        long logBefore = Files.size(server.log());
        Instant stopping = Instant.now();
        server.stop(); // SIGTERM
        Duration stop = Duration.between(stopping, Instant.now());
        System.out.println("DatabaseOutageIT: stopped " + stop.toMillis() + " ms after SIGTERM, database gone");
        assertThat(stop).as("stop with the database gone").isLessThan(Duration.ofSeconds(30));
        String logOfTheStop;
        try (InputStream log = Files.newInputStream(server.log())) {
            log.skipNBytes(logBefore);
            logOfTheStop = new String(log.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(logOfTheStop.lines())
                .as("the refused request's AuditEvent, in full, in the log of the stop")
                .anySatisfy(line -> assertThat(line)
                        .contains("MCS-0904: AuditEvent not stored: {\"resourceType\":\"AuditEvent\"")
                        .contains("Device/" + pump.deviceId()));
    }

    private static void assertRetryable(Supplier<Response> request, String what) {
        Instant sent = Instant.now();
        Response response = request.get();
        assertThat(Duration.between(sent, Instant.now())).as(what).isLessThan(PROMPT);
        assertThat(response.statusCode()).as(what + ": " + response.asString()).isEqualTo(503);
        assertThat(response.header("Retry-After")).as(what).isEqualTo("10");
        assertThat(response.jsonPath().getString("resourceType")).as(what).isEqualTo("OperationOutcome");
        assertThat(response.jsonPath().getString("issue[0].code")).as(what).isEqualTo("transient");
        assertThat(response.jsonPath().getString("issue[0].diagnostics"))
                .as(what)
                .startsWith("MCS-0530: the database is unavailable");
    }

    private static String patient(String identifier) {
        return """
                {"resourceType":"Patient","identifier":[{"system":"https://example.org/outage","value":"%s"}]}""".formatted(identifier);
    }

    /** AuditEvents of gateway requests that failed on the server's side (outcome 8: HTTP 5xx). */
    private static int failedGatewayAuditEvents(String fhirBase) {
        return fhir(fhirBase)
                .get("/AuditEvent?outcome=8&_summary=count")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getInt("total");
    }
}
