package org.mcsfhir.it.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.mcsfhir.it.telemetry.Telemetry.line;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.OwnDatabase;
import org.mcsfhir.it.support.ServerProcess;
import org.mcsfhir.it.support.TestServer;

/**
 * A server of its own (on its own database: H2 in a fresh directory, or a PostgreSQL of its own) with small limits:
 * one ingest request at a time, none waiting, at most 700 values per request. It is killed with SIGKILL in the middle
 * of sustained ingest (NDJSON, and HL7 v2 over MLLP), and everything it acknowledged before must be there after the
 * restart.
 */
class TelemetryCrashIT {

    private static final String CRASH_FACILITY = "CRASH-ICU";
    private static final String CRASH_CENTRE = "crash-centre";

    private static ServerProcess server;
    private static int mllpPort;
    private static OwnDatabase database;

    @BeforeAll
    static void start() throws IOException {
        database = OwnDatabase.start();
        Map<String, String> settings = database.settings();
        settings.put("mcs.telemetry.max-concurrent-requests", "1");
        settings.put("mcs.telemetry.max-waiting-requests", "0");
        settings.put("mcs.telemetry.max-values-per-request", "700");
        settings.put("mcs.telemetry.materialize-delay", "1s");
        settings.put(TestServer.MLLP_PORT, Integer.toString(ServerProcess.freePort()));
        settings.put("mcs.telemetry.mllp.senders[0].facility", CRASH_FACILITY);
        settings.put("mcs.telemetry.mllp.senders[0].centre", CRASH_CENTRE);
        mllpPort = Integer.parseInt(settings.get(TestServer.MLLP_PORT));
        server = ServerProcess.start("telemetry-crash-" + TestServer.database(), settings);
    }

    @AfterAll
    static void stop() throws IOException {
        OwnDatabase.close(server, database);
    }

    @Test
    void killedDuringSustainedIngest_everyAcknowledgedSampleIsThereAfterRestart() throws Exception {
        Telemetry.Pump pump = Telemetry.Pump.create(server.fhirBase(), false);
        Instant t0 = Telemetry.recentHour().minus(Duration.ofHours(2));
        List<Integer> acknowledgedUpTo = new ArrayList<>(); // last second of each acknowledged request
        AtomicBoolean running = new AtomicBoolean(true);
        int linesPerRequest = 50;

        Thread gateway = new Thread(() -> {
            for (int first = 0; running.get() && first < 6 * 3600; first += linesPerRequest) {
                StringBuilder body = new StringBuilder();
                for (int s = first; s < first + linesPerRequest; s++) {
                    body.append(line(t0.plusSeconds(s), values(s)));
                }
                try {
                    Response response = pump.post(body.toString());
                    if (response.statusCode() == 200) {
                        synchronized (acknowledgedUpTo) {
                            acknowledgedUpTo.add(first + linesPerRequest - 1);
                        }
                    }
                } catch (Exception connectionLost) { // RestAssured rethrows IOExceptions unchecked
                    return; // the server died under this request: not acknowledged, so no promise made
                }
            }
        });
        gateway.start();
        Telemetry.eventually(
                Duration.ofSeconds(60),
                () -> {
                    synchronized (acknowledgedUpTo) {
                        return acknowledgedUpTo.size() >= 20;
                    }
                },
                "sustained ingest");
        server.kill();
        running.set(false);
        gateway.join(30_000);

        server.restart();

        int lastAcknowledged;
        synchronized (acknowledgedUpTo) {
            lastAcknowledged = acknowledgedUpTo.get(acknowledgedUpTo.size() - 1);
            assertThat(acknowledgedUpTo).hasSize((lastAcknowledged + 1) / linesPerRequest);
        }
        int seconds = lastAcknowledged + 1;
        String[] flow = pump.series("pump-flow", t0, seconds);
        String[] level = pump.series("performance-level", t0, seconds);
        for (int s = 0; s < seconds; s++) {
            assertThat(Double.parseDouble(flow[s]))
                    .as("pump-flow at second " + s)
                    .isEqualTo(flowAt(s));
            assertThat(level[s]).as("performance-level at second " + s).isEqualTo(Integer.toString(s % 10));
        }
        // the queue of windows to materialize survived too: the last acknowledged window becomes an Observation
        String lastWindow = pump.deviceId() + "/pump-flow/" + (t0.getEpochSecond() + (lastAcknowledged / 60) * 60);
        Telemetry.eventually(
                Duration.ofSeconds(90),
                () -> Telemetry.fhir(server.fhirBase())
                                .queryParam("identifier", Telemetry.WINDOW_SYSTEM + "|" + lastWindow)
                                .get("/Observation")
                                .then()
                                .extract()
                                .jsonPath()
                                .getInt("total")
                        == 1,
                "the last acknowledged window as an Observation after the restart");
    }

    @Test
    void killedDuringMllpIngest_everyAcknowledgedMessageIsThereAfterRestart() throws Exception {
        String serial = ownedPump();
        Instant t0 = Telemetry.recentHour().minus(Duration.ofHours(5));
        int secondsPerMessage = 50;
        List<Integer> acknowledged = Collections.synchronizedList(new ArrayList<>()); // first second of each AA
        AtomicBoolean running = new AtomicBoolean(true);
        Thread gateway = new Thread(() -> {
            try (Mllp mllp = new Mllp(mllpPort)) {
                for (int first = 0; running.get() && first < 4 * 3600; first += secondsPerMessage) {
                    StringBuilder flows = new StringBuilder();
                    StringBuilder levels = new StringBuilder();
                    for (int s = first; s < first + secondsPerMessage; s++) {
                        flows.append(s == first ? "" : "^").append(flowAt(s));
                        levels.append(s == first ? "" : "^").append(s % 10);
                    }
                    Mllp.Ack ack = mllp.send(Mllp.oru(
                            CRASH_FACILITY,
                            "GW",
                            "crash-" + first,
                            List.of(
                                    Mllp.obx(
                                            "NA",
                                            "pump-flow",
                                            flows.toString(),
                                            "L/min",
                                            t0.plusSeconds(first),
                                            serial),
                                    Mllp.obx(
                                            "NA",
                                            "performance-level",
                                            levels.toString(),
                                            "{level}",
                                            t0.plusSeconds(first),
                                            serial))));
                    if (ack.code().equals("AA")) {
                        acknowledged.add(first);
                    }
                }
            } catch (Exception connectionLost) {
                // the server died under this message: not acknowledged, so no promise made
            }
        });
        gateway.start();
        Telemetry.eventually(Duration.ofSeconds(60), () -> acknowledged.size() >= 20, "sustained MLLP ingest");
        server.kill();
        running.set(false);
        gateway.join(30_000);

        server.restart();

        List<Integer> promised;
        synchronized (acknowledged) {
            promised = new ArrayList<>(acknowledged);
        }
        Telemetry.Pump pump = new Telemetry.Pump(server.fhirBase(), serial, null, null);
        int seconds = promised.get(promised.size() - 1) + secondsPerMessage;
        String[] flow = pump.series("pump-flow", t0, seconds);
        String[] level = pump.series("performance-level", t0, seconds);
        for (int first : promised) {
            for (int s = first; s < first + secondsPerMessage; s++) {
                assertThat(Double.parseDouble(flow[s]))
                        .as("pump-flow at second " + s)
                        .isEqualTo(flowAt(s));
                assertThat(level[s]).as("performance-level at second " + s).isEqualTo(Integer.toString(s % 10));
            }
        }
    }

    /** A pump of the sender's centre (the sender may write only for its centre's pumps). */
    private static String ownedPump() {
        return Telemetry.ownedPump(server.fhirBase(), "crash", CRASH_CENTRE, "Crash test centre", "male", "1958-02-11");
    }

    @Test
    void overload_isRefusedWith429AndRetryAfter() throws Exception {
        Telemetry.Pump pump = Telemetry.Pump.create(server.fhirBase(), false);
        Instant t0 = Telemetry.recentHour().minus(Duration.ofHours(1));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Response>> requests = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                StringBuilder body = new StringBuilder();
                for (int s = 0; s < 100; s++) {
                    body.append(line(t0.plusSeconds(c * 100 + s), values(s)));
                }
                requests.add(() -> pump.post(body.toString()));
            }
            int refused = 0;
            for (int round = 0; round < 5 && refused == 0; round++) {
                for (Future<Response> answer : pool.invokeAll(requests)) {
                    Response response = answer.get();
                    if (response.statusCode() == 429) {
                        refused++;
                        assertThat(response.header("Retry-After")).isEqualTo("1");
                        assertThat(response.jsonPath().getString("issue[0].diagnostics"))
                                .startsWith("MCS-0711");
                    } else {
                        assertThat(response.statusCode()).isEqualTo(200);
                    }
                }
            }
            assertThat(refused)
                    .as("requests refused while one was running and none may wait")
                    .isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void moreValuesThanAllowed_is413_andStoresNothing() {
        Telemetry.Pump pump = Telemetry.Pump.create(server.fhirBase(), false);
        Instant t0 = Telemetry.recentHour();
        StringBuilder body = new StringBuilder();
        for (int s = 0; s < 101; s++) {
            body.append(line(t0.plusSeconds(s), values(s))); // 7 values a line: line 101 crosses 700
        }

        RestAssured.given()
                .contentType("application/x-ndjson")
                .body(body.toString().getBytes(StandardCharsets.UTF_8))
                .post(pump.samplesUrl())
                .then()
                .statusCode(413)
                .body("issue[0].diagnostics", startsWith("MCS-0710: line 101"));

        assertThat(pump.series("pump-flow", t0, 101)).containsOnly("E");
        Telemetry.fhir(server.fhirBase())
                .queryParam("device", "Device/" + pump.deviceId())
                .get("/Observation")
                .then()
                .body("total", equalTo(0));
    }

    private static double flowAt(int s) {
        return 2 + (s % 300) / 100.0;
    }

    private static String values(int s) {
        return "\"pump-flow\":" + flowAt(s) + ",\"performance-level\":" + (s % 10) + ",\"motor-current\":"
                + (500 + s % 200)
                + ",\"purge-pressure\":" + (600 + s % 100) + ",\"purge-flow\":" + (10 + s % 5)
                + ",\"placement-signal\":"
                + (80 + s % 20) + ",\"pump-speed\":" + (30000 + s % 1000);
    }
}
