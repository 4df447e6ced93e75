package org.mcsfhir.it.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.it.telemetry.Telemetry.line;

import io.restassured.response.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.TestServer;

/** Requests racing for the same device and window: nothing lost, nothing stored twice. */
class TelemetryConcurrencyIT {

    private static final int CLIENTS = 8;
    private static String fhirBase;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        fhirBase = TestServer.get().fhirBase();
        pool = Executors.newFixedThreadPool(CLIENTS);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    @Test
    void concurrentRequestsForTheSameDeviceAndWindow_loseNothing() throws Exception {
        Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
        Instant t0 = Telemetry.recentHour();
        // client c sends seconds c, c+8, c+16, ... of the same minute, interleaved with everyone else's,
        // plus second 59 which every client sends with the same value
        List<Callable<Response>> requests = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            StringBuilder body = new StringBuilder();
            for (int s = c; s < 59; s += CLIENTS) {
                body.append(
                        line(t0.plusSeconds(s), "\"pump-flow\":" + (1 + s / 100.0) + ",\"pump-speed\":" + (30000 + s)));
            }
            body.append(line(t0.plusSeconds(59), "\"pump-flow\":2.59,\"pump-speed\":30059"));
            requests.add(() -> pump.post(body.toString()));
        }

        int accepted = 0;
        int duplicates = 0;
        for (Future<Response> answer : pool.invokeAll(requests)) {
            Response response = answer.get();
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
            accepted += response.jsonPath().getInt("accepted");
            duplicates += response.jsonPath().getInt("duplicates");
            assertThat(response.jsonPath().getInt("conflicts")).isZero();
        }

        assertThat(accepted).isEqualTo(2 * 60);
        assertThat(duplicates).isEqualTo(2 * (CLIENTS - 1));
        String[] flow = pump.series("pump-flow", t0, 60);
        String[] speed = pump.series("pump-speed", t0, 60);
        for (int s = 0; s < 59; s++) {
            assertThat(Double.parseDouble(flow[s]))
                    .as("pump-flow at second " + s)
                    .isEqualTo(1 + s / 100.0);
            assertThat(speed[s]).as("pump-speed at second " + s).isEqualTo(Integer.toString(30000 + s));
        }
        assertThat(flow[59]).isEqualTo("2.59");
    }

    @Test
    void aRequestRetriedConcurrently_isStoredOnce() throws Exception {
        Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
        Instant t0 = Telemetry.recentHour();
        StringBuilder body = new StringBuilder();
        for (int s = 0; s < 120; s++) {
            body.append(line(t0.plusSeconds(s), "\"motor-current\":" + (600 + s)));
        }
        List<Callable<Response>> retries = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            retries.add(() -> pump.post(body.toString()));
        }

        int accepted = 0;
        int duplicates = 0;
        for (Future<Response> answer : pool.invokeAll(retries)) {
            Response response = answer.get();
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
            accepted += response.jsonPath().getInt("accepted");
            duplicates += response.jsonPath().getInt("duplicates");
        }

        assertThat(accepted).isEqualTo(120);
        assertThat(duplicates).isEqualTo(120 * (CLIENTS - 1));
        String[] current = pump.series("motor-current", t0, 120);
        for (int s = 0; s < 120; s++) {
            assertThat(current[s]).isEqualTo(Integer.toString(600 + s));
        }
    }
}
