package org.mcsfhir.it.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.it.support.TestServer.fhir;
import static org.mcsfhir.it.telemetry.Mllp.obx;
import static org.mcsfhir.it.telemetry.Mllp.oru;

import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.TestServer;
import org.mcsfhir.testsupport.GuideSources;

/**
 * HL7 v2 (IHE PCD-01 ORU^R01) over MLLP against the packaged jar, with HAPI's own client connection: the example of
 * docs/telemetry.md with the arguments given there, the acknowledgement classes, duplicates shared with the NDJSON
 * gateway, and hostile transport input that must not harm other connections.
 */
class MllpIT {

    private static final String CENTRE_1 = "mcs-example-centre-1";
    private static final String CENTRE_2 = "mcs-example-centre-2";
    private static final String GATEWAY = "PUMP-GATEWAY";
    private static final String FACILITY = "CENTRE1-ICU";

    /** One connection per test (reopened when the shared server closes it after 5 s idle). */
    private Mllp client;

    @BeforeAll
    static void loadGuideExamples() {
        fhir().body(GuideSources.examplesAsTransaction()).post("/").then().statusCode(200);
    }

    @BeforeEach
    void connect() {
        client = new Mllp(TestServer.mllpPort());
    }

    @AfterEach
    void disconnect() throws IOException {
        client.close();
    }

    @Test
    void docsExample_allSevenChannelsArriveInTelemetrySeries_andAResendIsAcknowledgedOnce() {
        // The docs' message as written, sent about a pump of its own: samples for the guide's example pump on the
        // shared server would change example case 1 for every later test (RegistryCaseIT's telemetry summaries)
        String serial = pump(CENTRE_1);
        String example = Mllp.docsExample().replace("CP-000123", serial);
        assertThat(example).doesNotContain("CP-000123").contains(serial);
        Mllp.Ack ack = client.send(example);
        assertThat(ack.code()).as(ack.text()).isEqualTo("AA");
        assertThat(ack.text()).isEqualTo("accepted 11, duplicates 0, conflicts 0");

        Telemetry.Pump pump = new Telemetry.Pump(TestServer.get().fhirBase(), serial, null, null);
        Instant start = Instant.parse("2026-03-11T08:00:00Z");
        assertThat(pump.series("pump-flow", start, 5)).containsExactly("3.3", "3.29", "3.31", "3.32", "3.3");
        Map<String, String> single = Map.of(
                "performance-level",
                "8",
                "motor-current",
                "612",
                "purge-pressure",
                "600",
                "purge-flow",
                "9.4",
                "placement-signal",
                "82",
                "pump-speed",
                "33000");
        single.forEach((channel, value) ->
                assertThat(pump.series(channel, start, 1)).as(channel).containsExactly(value));

        Mllp.Ack again = client.send(example);
        assertThat(again.code()).isEqualTo("AA");
        assertThat(again.text()).startsWith("MCS-0743: message CENTRE1-000001 was already acknowledged");
    }

    @Test
    void sameSamplesViaMllpAndNdjson_areDuplicatesOfEachOther_andEquivalentUnitsAreConverted() {
        String serial = pump(CENTRE_1);
        Instant t0 = Telemetry.recentHour().minus(Duration.ofMinutes(30));
        String flows = "2.5^2.6^2.7^2.8^2.9^3^3.1^3.2^3.3^3.4";
        Mllp.Ack first = client.send(oru(
                FACILITY,
                GATEWAY,
                Telemetry.unique("dup"),
                List.of(
                        obx("NA", "pump-flow", flows, "L/min", t0, serial),
                        obx("NM", "purge-pressure", "80", "kPa", t0, serial))));
        assertThat(first.code()).as(first.errorText()).isEqualTo("AA");
        assertThat(first.text()).isEqualTo("accepted 11, duplicates 0, conflicts 0");

        StringBuilder ndjson = new StringBuilder();
        String[] values = flows.split("\\^");
        for (int s = 0; s < values.length; s++) {
            ndjson.append(Telemetry.line(t0.plusSeconds(s), "\"pump-flow\":" + values[s]));
        }
        Telemetry.Pump pump = new Telemetry.Pump(TestServer.get().fhirBase(), serial, null, null);
        pump.post(ndjson.toString())
                .then()
                .statusCode(200)
                .body("accepted", Matchers.equalTo(0))
                .body("duplicates", Matchers.equalTo(10));

        Mllp.Ack resent = client.send(oru(
                FACILITY,
                GATEWAY,
                Telemetry.unique("dup"),
                List.of(obx("NA", "pump-flow", flows, "L/min", t0, serial))));
        assertThat(resent.code()).isEqualTo("AA");
        assertThat(resent.text()).isEqualTo("accepted 0, duplicates 10, conflicts 0");
        assertThat(pump.series("pump-flow", t0, 10)).containsExactly(values);
        assertThat(pump.series("purge-pressure", t0, 1)).containsExactly("600.049261"); // 80 kPa in mm[Hg]
    }

    @Test
    void everyRejection_isAnsweredWithItsCodeAndLocation_andStoresNothing() {
        String serial = pump(CENTRE_1);
        String foreign = pump(CENTRE_2);
        Instant t = Telemetry.recentHour().minus(Duration.ofMinutes(50));
        String good = obx("NM", "motor-current", "600", "mA", t, serial);

        expect(send("NOBODY", GATEWAY, List.of(good)), "AR", "MSH 1 4", "204", "MCS-0730");
        expect(
                send(FACILITY, GATEWAY, List.of(good, obx("NM", "pump-flow", "3", "L/min", t, foreign))),
                "AR",
                "OBX 2 18",
                "204",
                "MCS-0731");
        expect(
                send(FACILITY, GATEWAY, List.of(good, obx("NM", "pump-flow", "3", "L/min", t, "NO-SUCH-PUMP"))),
                "AR",
                "OBX 2 18",
                "204",
                "MCS-0731");
        expect(
                send(FACILITY, GATEWAY, List.of(good, obx("NM", "cardiac-output", "3", "L/min", t, serial))),
                "AE",
                "OBX 2 3",
                "103",
                "MCS-0733");
        expect(
                send(FACILITY, GATEWAY, List.of(good, obx("NM", "pump-flow", "3", "mL/s", t, serial))),
                "AE",
                "OBX 2 6",
                "103",
                "MCS-0734");
        expect(
                send(FACILITY, GATEWAY, List.of(good, obx("NM", "pump-flow", "12", "L/min", t, serial))),
                "AE",
                "OBX 2 5",
                "102",
                "MCS-0735");
        expect(
                send(FACILITY, GATEWAY, List.of(good, obx("ST", "pump-flow", "high", "L/min", t, serial))),
                "AE",
                "OBX 2 2",
                "102",
                "MCS-0735");
        String noOffset = obx("NM", "pump-flow", "3", "L/min", t, serial).replace(Mllp.dtm(t), "20260311090000");
        expect(send(FACILITY, GATEWAY, List.of(good, noOffset)), "AE", "OBX 2 14", "102", "MCS-0736");
        String future = obx("NM", "pump-flow", "3", "L/min", Instant.now().plus(Duration.ofHours(2)), serial);
        expect(send(FACILITY, GATEWAY, List.of(good, future)), "AE", "OBX 2 14", "102", "MCS-0736");
        String v25 =
                oru(FACILITY, GATEWAY, Telemetry.unique("v"), List.of(good)).replace("|P|2.6|", "|P|2.5|");
        expect(client.send(v25), "AR", "MSH 1 12", "203", "MCS-0732");
        String adt = "MSH|^~\\&|" + GATEWAY + "|" + FACILITY + "|MCS-FHIR|MCS|" + Mllp.dtm(Instant.now())
                + "||ADT^A01^ADT_A01|" + Telemetry.unique("adt") + "|P|2.6\rEVN||" + Mllp.dtm(Instant.now())
                + "\rPID|||IT-PAT^^^IT^MR\rPV1||I\r";
        expect(client.send(adt), "AR", "MSH 1 9", "200", "MCS-0732");

        Telemetry.Pump pump = new Telemetry.Pump(TestServer.get().fhirBase(), serial, null, null);
        assertThat(pump.series("motor-current", t, 1)).containsExactly("E");
        assertThat(pump.series("pump-flow", t, 1)).containsExactly("E");
        Telemetry.eventually(
                Duration.ofSeconds(30),
                () -> fhir().queryParam("entity", "Device/" + foreign)
                                .queryParam("outcome", "4")
                                .get("/AuditEvent")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getList("entry")
                                .size()
                        >= 1,
                "an AuditEvent of the refused write for another centre's pump");
    }

    @Test
    void hostileTransport_isDroppedOrAnswered_withoutHarmingOtherConnections() throws Exception {
        String serial = pump(CENTRE_1);
        int port = TestServer.mllpPort();
        // a well-behaved sender keeps sending on its own connection all along
        Instant t0 = Telemetry.recentHour().minus(Duration.ofMinutes(20));
        AtomicBoolean hostile = new AtomicBoolean(true);
        List<String> answers = Collections.synchronizedList(new ArrayList<>());
        Thread wellBehaved = new Thread(() -> {
            for (int s = 0; hostile.get(); s++) {
                answers.add(client.send(oru(
                                FACILITY,
                                GATEWAY,
                                Telemetry.unique("ok"),
                                List.of(obx("NM", "pump-flow", "3.1", "L/min", t0.plusSeconds(s), serial))))
                        .code());
                sleep(500);
            }
        });
        wellBehaved.start();
        byte[] notMllp = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(closedAfter(port, notMllp, false))
                .as("not MLLP: connection closed")
                .isTrue();
        assertThat(answerTo(port, frame("hello, not HL7"))).contains("MSA|AR").contains("MCS-0740");
        byte[] truncated = Arrays.copyOf(
                frame(oru(
                        FACILITY,
                        GATEWAY,
                        "trunc",
                        List.of(obx("NM", "pump-flow", "3", "L/min", Telemetry.recentHour(), serial)))),
                120);
        assertThat(closedAfter(port, truncated, true))
                .as("truncated frame: connection closed")
                .isTrue();
        byte[] huge = new byte[10 * 1024 * 1024 + 2];
        Arrays.fill(huge, (byte) 'A');
        huge[0] = 0x0b;
        huge[huge.length - 1] = 0x0d;
        huge[huge.length - 2] = 0x1c;
        assertThat(closedAfter(port, huge, false))
                .as("10 MB frame: connection closed")
                .isTrue();
        assertThat(closedAfter(port, new byte[0], false))
                .as("silent connection closed after the idle timeout")
                .isTrue();

        hostile.set(false);
        wellBehaved.join(30_000);
        assertThat(answers).hasSizeGreaterThanOrEqualTo(3).containsOnly("AA");
        assertThat(new Telemetry.Pump(TestServer.get().fhirBase(), serial, null, null)
                        .series("pump-flow", t0, answers.size()))
                .containsOnly("3.1");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Mllp.Ack send(String facility, String application, List<String> observations) {
        return client.send(oru(facility, application, Telemetry.unique("it"), observations));
    }

    private static void expect(Mllp.Ack ack, String code, String location, String hl7Error, String mcsCode) {
        assertThat(ack.code()).as(ack.errorText()).isEqualTo(code);
        assertThat(ack.errorLocation()).as(ack.errorText()).isEqualTo(location);
        assertThat(ack.errorCode()).as(ack.errorText()).isEqualTo(hl7Error);
        assertThat(ack.errorText()).startsWith(mcsCode);
    }

    /** A pump of the centre: Patient managed by it, Device owned by it, serial number = logical id. */
    private static String pump(String centre) {
        return Telemetry.pumpOf(TestServer.get().fhirBase(), "mllp", centre, "male", "1958-02-11");
    }

    private static byte[] frame(String message) {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        byte[] framed = new byte[body.length + 3];
        framed[0] = 0x0b;
        System.arraycopy(body, 0, framed, 1, body.length);
        framed[framed.length - 2] = 0x1c;
        framed[framed.length - 1] = 0x0d;
        return framed;
    }

    /** Sends the bytes (optionally half-closing) and whether the server then closes the connection within 15 s. */
    private static boolean closedAfter(int port, byte[] bytes, boolean halfClose) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(bytes);
                out.flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
                return socket.getInputStream().read() == -1;
            } catch (SocketTimeoutException stillOpen) {
                return false;
            } catch (IOException resetOrBrokenPipe) {
                return true;
            }
        }
    }

    private static String answerTo(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(bytes);
            InputStream in = socket.getInputStream();
            List<Byte> answer = new ArrayList<>();
            for (int b = in.read(); b != -1 && b != 0x1c; b = in.read()) {
                answer.add((byte) b);
            }
            byte[] raw = new byte[answer.size()];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = answer.get(i);
            }
            return new String(raw, StandardCharsets.UTF_8);
        }
    }

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }
}
