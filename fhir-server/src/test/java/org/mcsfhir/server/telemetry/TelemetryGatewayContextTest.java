package org.mcsfhir.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.tier.ContextTest;

/**
 * The device gateway inside the server: NDJSON samples of a pump linked to a patient are acknowledged after commit
 * and readable at once through {@code Device/$telemetry-series}, gaps marked {@code E}; an unknown device is a 404.
 */
class TelemetryGatewayContextTest extends ContextTest {

    @Test
    void ndjsonSamples_areReadableThroughTheSeries() {
        String device = pump();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));

        http().contentType("application/x-ndjson")
                .body((line(t0, "\"pump-flow\":3.2,\"performance-level\":8")
                                + line(t0.plusSeconds(1), "\"pump-flow\":3.3")
                                + line(t0.plusSeconds(61), "\"pump-flow\":3.4"))
                        .getBytes(StandardCharsets.UTF_8))
                .post(samples(device))
                .then()
                .statusCode(200)
                .body("accepted", equalTo(4))
                .body("duplicates", equalTo(0))
                .body("windows", equalTo(3));

        String[] flow = series(device, "pump-flow", t0, 62);
        assertThat(flow[0]).isEqualTo("3.2");
        assertThat(flow[1]).isEqualTo("3.3");
        assertThat(flow[2]).isEqualTo("E");
        assertThat(flow[61]).isEqualTo("3.4");
        assertThat(series(device, "performance-level", t0, 2)).containsExactly("8", "E");
    }

    @Test
    void unknownDevice_is404WithACode() {
        http().contentType("application/x-ndjson")
                .body(line(Instant.now().minusSeconds(60), "\"pump-flow\":3.0").getBytes(StandardCharsets.UTF_8))
                .post(samples("no-such-pump"))
                .then()
                .statusCode(404)
                .body(containsString("MCS-0708"));
    }

    private String pump() {
        String run = UUID.randomUUID().toString().substring(0, 13);
        String patient = "ctx-tel-pat-" + run;
        String device = "ctx-tel-pump-" + run;
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\",\"gender\":\"female\"}")
                .put("/Patient/" + patient)
                .then()
                .statusCode(201);
        fhir().body("{\"resourceType\":\"Device\",\"id\":\"" + device + "\",\"status\":\"active\",\"serialNumber\":\""
                        + device + "\",\"patient\":{\"reference\":\"Patient/" + patient + "\"}}")
                .put("/Device/" + device)
                .then()
                .statusCode(201);
        return device;
    }

    private String samples(String device) {
        return "/telemetry/v1/devices/" + device + "/samples";
    }

    private String[] series(String device, String channel, Instant start, int seconds) {
        return fhir().queryParam("channel", channel)
                .queryParam("start", start.toString())
                .queryParam("end", start.plusSeconds(seconds).toString())
                .get("/Device/" + device + "/" + TelemetrySeriesProvider.OPERATION)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("valueSampledData.data")
                .split(" ");
    }

    private static String line(Instant time, String channelValues) {
        return "{\"time\":\"" + time + "\"," + channelValues + "}\n";
    }
}
