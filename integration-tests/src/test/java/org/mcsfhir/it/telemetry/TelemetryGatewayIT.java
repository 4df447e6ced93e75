package org.mcsfhir.it.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.mcsfhir.it.telemetry.Telemetry.line;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.TestServer;

/** The device gateway interface end to end against the packaged server: docs/telemetry.md, issue 5. */
class TelemetryGatewayIT {

    private static String fhirBase;

    @BeforeAll
    static void server() {
        fhirBase = TestServer.get().fhirBase();
    }

    @Test
    void samples_areAcknowledgedAfterCommit_andReadableAtOnce() {
        Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
        Instant t0 = Telemetry.recentHour();

        pump.post(line(t0, "\"pump-flow\":3.2,\"performance-level\":8")
                        + line(t0.plusSeconds(1), "\"pump-flow\":3.3")
                        + line(t0.plusSeconds(61), "\"pump-flow\":3.4"))
                .then()
                .statusCode(200)
                .body("accepted", equalTo(4))
                .body("duplicates", equalTo(0))
                .body("conflicts", equalTo(0))
                .body("windows", equalTo(3));

        String[] flow = pump.series("pump-flow", t0, 62);
        assertThat(flow[0]).isEqualTo("3.2");
        assertThat(flow[1]).isEqualTo("3.3");
        assertThat(flow[2]).isEqualTo("E");
        assertThat(flow[61]).isEqualTo("3.4");
        assertThat(pump.series("performance-level", t0, 2)).containsExactly("8", "E");
    }

    @Test
    void jsonArrayBody_isAcceptedLikeNdjson() {
        Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
        Instant t0 = Telemetry.recentHour();

        RestAssured.given()
                .contentType("application/json")
                .body("[{\"time\":\"" + t0 + "\",\"motor-current\":612},{\"time\":\"" + t0.plusSeconds(1)
                        + "\",\"motor-current\":615}]")
                .post(pump.samplesUrl())
                .then()
                .statusCode(200)
                .body("accepted", equalTo(2))
                .body("windows", equalTo(1));

        assertThat(pump.series("motor-current", t0, 2)).containsExactly("612", "615");
    }

    @Test
    void resentRequest_isAllDuplicates_andChangesNothing() {
        Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
        Instant t0 = Telemetry.recentHour();
        String body = line(t0, "\"pump-flow\":3.2,\"pump-speed\":33000") + line(t0.plusSeconds(1), "\"pump-flow\":3.1");
        pump.post(body).then().statusCode(200).body("accepted", equalTo(3));

        pump.post(body)
                .then()
                .statusCode(200)
                .body("accepted", equalTo(0))
                .body("duplicates", equalTo(3))
                .body("conflicts", equalTo(0))
                .body("windows", equalTo(0));

        assertThat(pump.series("pump-flow", t0, 3)).containsExactly("3.2", "3.1", "E");
    }

    @Test
    void differentValueForAStoredInstant_isReportedAsConflict_andNotStored() {
        Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
        Instant t0 = Telemetry.recentHour();
        pump.post(line(t0, "\"pump-flow\":3.2")).then().statusCode(200);

        pump.post(line(t0, "\"pump-flow\":3.9") + line(t0.plusSeconds(1), "\"pump-flow\":3.0"))
                .then()
                .statusCode(200)
                .body("accepted", equalTo(1))
                .body("duplicates", equalTo(0))
                .body("conflicts", equalTo(1));

        assertThat(pump.series("pump-flow", t0, 2)).containsExactly("3.2", "3");
    }

    @Test
    void lateAndOutOfOrderSamples_landInTheirWindow() {
        Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
        Instant t0 = Telemetry.recentHour();
        pump.post(line(t0.plusSeconds(125), "\"purge-pressure\":640")).then().statusCode(200);

        pump.post(line(t0.plusSeconds(3), "\"purge-pressure\":600")
                        + line(t0.plusSeconds(64), "\"purge-pressure\":610"))
                .then()
                .statusCode(200)
                .body("accepted", equalTo(2))
                .body("windows", equalTo(2));

        String[] series = pump.series("purge-pressure", t0, 180);
        assertThat(series[3]).isEqualTo("600");
        assertThat(series[64]).isEqualTo("610");
        assertThat(series[125]).isEqualTo("640");
        assertThat(List.of(series).stream().filter(v -> !v.equals("E")).count()).isEqualTo(3);
    }

    @Test
    void windows_becomeMcsPumpTelemetryObservations_foundByStandardSearch() {
        Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, true);
        Instant t0 = Telemetry.recentHour();
        pump.post(line(t0, "\"pump-flow\":3.2,\"performance-level\":8") + line(t0.plusSeconds(2), "\"pump-flow\":3.5"))
                .then()
                .statusCode(200)
                .body("windows", equalTo(2));

        Telemetry.eventually(
                Duration.ofSeconds(60),
                () -> Telemetry.fhir(fhirBase)
                                .queryParam("device", "Device/" + pump.deviceId())
                                .queryParam("code", Telemetry.CHANNEL_SYSTEM + "|pump-flow")
                                .queryParam("date", "ge" + t0)
                                .queryParam("date", "lt" + t0.plusSeconds(60))
                                .get("/Observation")
                                .then()
                                .extract()
                                .jsonPath()
                                .getInt("total")
                        == 1,
                "the pump-flow window Observation");

        JsonPath window = Telemetry.fhir(fhirBase)
                .queryParam(
                        "identifier",
                        Telemetry.WINDOW_SYSTEM + "|" + pump.deviceId() + "/pump-flow/" + t0.getEpochSecond())
                .get("/Observation")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .extract()
                .jsonPath();
        assertThat(window.getString("entry[0].resource.meta.profile[0]"))
                .isEqualTo("https://mcs-fhir.org/fhir/StructureDefinition/mcs-pump-telemetry");
        assertThat(window.getString("entry[0].resource.subject.reference")).isEqualTo("Patient/" + pump.patientId());
        assertThat(window.getString("entry[0].resource.device.reference")).isEqualTo("Device/" + pump.deviceId());
        assertThat(window.getString("entry[0].resource.partOf[0].reference"))
                .isEqualTo("Procedure/" + pump.insertionId());
        assertThat(window.getString("entry[0].resource.effectivePeriod.start")).isEqualTo(t0.toString());
        assertThat(window.getString("entry[0].resource.effectivePeriod.end"))
                .isEqualTo(t0.plusSeconds(60).toString());
        assertThat(window.getString("entry[0].resource.valueSampledData.origin.code"))
                .isEqualTo("L/min");
        assertThat(window.getInt("entry[0].resource.valueSampledData.period")).isEqualTo(1000);
        assertThat(window.getString("entry[0].resource.valueSampledData.data").split(" "))
                .hasSize(60)
                .startsWith("3.2", "E", "3.5", "E");

        Telemetry.eventually(
                Duration.ofSeconds(60),
                () -> Telemetry.fhir(fhirBase)
                                .queryParam("patient", "Patient/" + pump.patientId())
                                .queryParam("category", Telemetry.CATEGORY)
                                .get("/Observation")
                                .then()
                                .extract()
                                .jsonPath()
                                .getInt("total")
                        == 2,
                "both windows by patient and category");
    }

    @Test
    void aWindowTouchedAgain_isRewrittenInPlace_notDuplicated() {
        Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
        Instant t0 = Telemetry.recentHour();
        String identifier = Telemetry.WINDOW_SYSTEM + "|" + pump.deviceId() + "/pump-flow/" + t0.getEpochSecond();
        pump.post(line(t0, "\"pump-flow\":3.2")).then().statusCode(200);
        eventuallyOneWindow(identifier, data -> true, "the first version");

        pump.post(line(t0.plusSeconds(59), "\"pump-flow\":2.9")).then().statusCode(200);

        eventuallyOneWindow(identifier, data -> data.endsWith(" 2.9"), "one Observation holding both samples");
    }

    @Test
    void telemetryObservationPostedDirectlyOverFhir_isAccepted() {
        Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
        Instant t0 = Telemetry.recentHour().minus(Duration.ofDays(1));
        String data = String.join(" ", Collections.nCopies(60, "3.1"));
        String observation = """
                {"resourceType":"Observation","status":"final",
                 "identifier":[{"system":"%s","value":"%s/pump-flow/%d"}],
                 "category":[{"coding":[{"system":"https://mcs-fhir.org/fhir/CodeSystem/mcs-observation-category-cs",
                   "code":"device-telemetry","display":"Device telemetry"}]}],
                 "code":{"coding":[{"system":"%s","code":"pump-flow","display":"Pump flow"}]},
                 "subject":{"reference":"Patient/%s"},
                 "effectivePeriod":{"start":"%s","end":"%s"},
                 "valueSampledData":{"origin":{"value":0,"unit":"L/min","system":"http://unitsofmeasure.org","code":"L/min"},
                   "period":1000,"dimensions":1,"data":"%s"},
                 "device":{"reference":"Device/%s"}}""".formatted(
                        Telemetry.WINDOW_SYSTEM,
                        pump.deviceId(),
                        t0.getEpochSecond(),
                        Telemetry.CHANNEL_SYSTEM,
                        pump.patientId(),
                        t0,
                        t0.plusSeconds(60),
                        data,
                        pump.deviceId());

        String id = Telemetry.fhir(fhirBase)
                .body(observation)
                .post("/Observation")
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        // gateway samples for the same window later: the posted resource is rewritten, not joined by a second one,
        // and keeps the values only it held
        pump.post(line(t0.plusSeconds(1), "\"pump-flow\":3.5"))
                .then()
                .statusCode(200)
                .body("accepted", equalTo(1));
        String identifier = Telemetry.WINDOW_SYSTEM + "|" + pump.deviceId() + "/pump-flow/" + t0.getEpochSecond();
        eventuallyOneWindow(
                identifier,
                window -> window.startsWith("3.1 3.5 3.1 "),
                "the posted window rewritten with the gateway sample");
        Telemetry.fhir(fhirBase)
                .queryParam("identifier", identifier)
                .get("/Observation")
                .then()
                .body("entry[0].resource.id", equalTo(id));
    }

    @Nested
    class Series {

        @Test
        void withResolution_returnsMinMeanMaxPerBucket() {
            Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
            Instant t0 = Telemetry.recentHour();
            pump.post(line(t0, "\"pump-flow\":3.0")
                            + line(t0.plusSeconds(1), "\"pump-flow\":4.0")
                            + line(t0.plusSeconds(130), "\"pump-flow\":2.0"))
                    .then()
                    .statusCode(200);

            JsonPath series = seriesQuery(
                            "pump-flow", t0.toString(), t0.plusSeconds(180).toString())
                    .queryParam("resolution", "1min")
                    .get(seriesUrl(pump.deviceId()))
                    .then()
                    .statusCode(200)
                    .body("resourceType", equalTo("Observation"))
                    .extract()
                    .jsonPath();

            assertThat(series.getString("component[0].code.coding[0].code")).isEqualTo("minimum");
            assertThat(series.getString("component[1].code.coding[0].code")).isEqualTo("mean");
            assertThat(series.getString("component[2].code.coding[0].code")).isEqualTo("maximum");
            assertThat(series.getString("component[0].valueSampledData.data")).isEqualTo("3 E 2");
            assertThat(series.getString("component[1].valueSampledData.data")).isEqualTo("3.5 E 2");
            assertThat(series.getString("component[2].valueSampledData.data")).isEqualTo("4 E 2");
            assertThat(series.getInt("component[0].valueSampledData.period")).isEqualTo(60000);
            assertThat(series.getString("subject.reference")).isEqualTo("Patient/" + pump.patientId());
        }

        @Test
        void unknownChannel_is400() {
            Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
            seriesQuery("heart-rate", "2026-03-10T15:00:00Z", "2026-03-10T16:00:00Z")
                    .get(seriesUrl(pump.deviceId()))
                    .then()
                    .statusCode(400)
                    .body("issue[0].diagnostics", startsWith("MCS-0721"));
        }

        @Test
        void endNotAfterStart_is400() {
            Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
            seriesQuery("pump-flow", "2026-03-10T15:00:00Z", "2026-03-10T15:00:00Z")
                    .get(seriesUrl(pump.deviceId()))
                    .then()
                    .statusCode(400)
                    .body("issue[0].diagnostics", startsWith("MCS-0723"));
        }

        @Test
        void unknownDevice_is404() {
            seriesQuery("pump-flow", "2026-03-10T15:00:00Z", "2026-03-10T16:00:00Z")
                    .get(seriesUrl("no-such-pump"))
                    .then()
                    .statusCode(404)
                    .body("resourceType", equalTo("OperationOutcome"));
        }
    }

    @Nested
    class Rejected {

        @Test
        void oneBadLine_rejectsTheWholeRequest_andStoresNothing() {
            Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
            Instant t0 = Telemetry.recentHour();

            pump.post(line(t0, "\"pump-flow\":3.2")
                            + line(t0.plusSeconds(1), "\"pump-flow\":3.3")
                            + line(t0.plusSeconds(2), "\"pump-flow\":\"high\""))
                    .then()
                    .statusCode(400)
                    .contentType(containsString("application/fhir+json"))
                    .body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].diagnostics", startsWith("MCS-0703: line 3, field \"pump-flow\""))
                    .body("issue[0].expression", hasItem("line[3].pump-flow"));

            assertThat(pump.series("pump-flow", t0, 3)).containsOnly("E");
        }

        @Test
        void unknownChannel_is400NamingLineAndField() {
            Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
            pump.post(line(Telemetry.recentHour(), "\"pump-flow\":3.2")
                            + line(Telemetry.recentHour(), "\"heart-rate\":80"))
                    .then()
                    .statusCode(400)
                    .body("issue[0].diagnostics", startsWith("MCS-0702: line 2, field \"heart-rate\""));
        }

        @Test
        void outOfRangeValue_is400() {
            Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
            pump.post(line(Telemetry.recentHour(), "\"performance-level\":12"))
                    .then()
                    .statusCode(400)
                    .body("issue[0].diagnostics", startsWith("MCS-0704: line 1"));
        }

        @Test
        void badAndFutureTimestamps_are400() {
            Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
            pump.post("{\"time\":\"yesterday\",\"pump-flow\":3}\n")
                    .then()
                    .statusCode(400)
                    .body("issue[0].diagnostics", startsWith("MCS-0705: line 1, field \"time\""));
            pump.post(line(Instant.now().plus(Duration.ofHours(1)), "\"pump-flow\":3"))
                    .then()
                    .statusCode(400)
                    .body("issue[0].diagnostics", startsWith("MCS-0706: line 1, field \"time\""));
        }

        @Test
        void unknownDevice_is404() {
            RestAssured.given()
                    .contentType("application/x-ndjson")
                    .body(line(Telemetry.recentHour(), "\"pump-flow\":3").getBytes(StandardCharsets.UTF_8))
                    .post(fhirBase.replaceFirst("/fhir$", "") + "/telemetry/v1/devices/no-such-pump/samples")
                    .then()
                    .statusCode(404)
                    .body("issue[0].diagnostics", startsWith("MCS-0708"));
        }

        @Test
        void deviceWithoutPatient_is422() {
            Telemetry.Pump pump = Telemetry.Pump.withoutPatient(fhirBase);
            pump.post(line(Telemetry.recentHour(), "\"pump-flow\":3"))
                    .then()
                    .statusCode(422)
                    .body("issue[0].diagnostics", startsWith("MCS-0709"));
        }

        @Test
        void otherMediaType_is415() {
            Telemetry.Pump pump = Telemetry.Pump.create(fhirBase, false);
            RestAssured.given()
                    .contentType("text/csv")
                    .body("time,pump-flow\n".getBytes(StandardCharsets.UTF_8))
                    .post(pump.samplesUrl())
                    .then()
                    .statusCode(415)
                    .body("issue[0].diagnostics", startsWith("MCS-0712"));
        }
    }

    /** Waits until exactly one Observation has {@code identifier} and its sampled data satisfies {@code data}. */
    private static void eventuallyOneWindow(String identifier, Predicate<String> data, String what) {
        Telemetry.eventually(
                Duration.ofSeconds(60),
                () -> {
                    JsonPath found = Telemetry.fhir(fhirBase)
                            .queryParam("identifier", identifier)
                            .get("/Observation")
                            .then()
                            .extract()
                            .jsonPath();
                    return found.getInt("total") == 1
                            && data.test(found.getString("entry[0].resource.valueSampledData.data"));
                },
                what);
    }

    /** A {@code $telemetry-series} request for one channel between {@code start} and {@code end}. */
    private static RequestSpecification seriesQuery(String channel, String start, String end) {
        return RestAssured.given()
                .accept("application/fhir+json")
                .queryParam("channel", channel)
                .queryParam("start", start)
                .queryParam("end", end);
    }

    private static String seriesUrl(String device) {
        return fhirBase + "/Device/" + device + "/$telemetry-series";
    }
}
