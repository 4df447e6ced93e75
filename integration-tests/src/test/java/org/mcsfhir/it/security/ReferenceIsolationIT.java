package org.mcsfhir.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.it.security.SecureServer.fhir;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mcsfhir.it.security.TwoCentres.Centre;

/**
 * The isolation matrix for what a centre-bound client <i>writes</i>: every reference it stores must stay inside its
 * centre, at any path, for every clinical type, whatever the way in (create, update, conditional create and update,
 * JSON Patch, transaction, batch). A reference to another centre's record is refused with 403 {@code MCS-0403} and
 * nothing is stored; the same write pointing at the writer's own record is accepted, so each row fails both when the
 * check is missing and when it refuses too much. Shared registers (Organization, Practitioner) may be referenced by
 * anyone.
 */
class ReferenceIsolationIT {

    private static final String MARKER_SYSTEM = "https://mcs-fhir.org/fhir/sid/it-ref";

    private static TwoCentres data;

    @BeforeAll
    static void seed() {
        data = TwoCentres.get();
    }

    /** A write of the EHR of centre A whose one reference under test, at {@code path}, names {@code Type/id}. */
    record Path(String path, String targetType, Function<Centre, String> target, Body body) {
        @Override
        public String toString() {
            return path + " -> " + targetType;
        }
    }

    @FunctionalInterface
    interface Body {
        /** The resource JSON written by centre A (own = A), with {@code reference} at the path and {@code marker}. */
        String of(Centre own, String reference, String marker);
    }

    /** Every clinical record type of a centre, and where TwoCentres keeps its id. */
    private static Map<String, Function<Centre, String>> clinicalRecords() {
        Map<String, Function<Centre, String>> records = new LinkedHashMap<>();
        records.put("Patient", Centre::patient);
        records.put("Procedure", Centre::insertion);
        records.put("Device", Centre::device);
        records.put("Observation", Centre::observation);
        records.put("Condition", Centre::condition);
        records.put("Consent", Centre::consent);
        records.put("Task", Centre::task);
        return records;
    }

    static Stream<Arguments> paths() {
        List<Path> paths = new ArrayList<>();
        // Reference(Any): every clinical type
        clinicalRecords().forEach((type, id) -> {
            paths.add(listPath("Observation.focus", type, id, ReferenceIsolationIT::observation));
            paths.add(new Path("Task.focus", type, id, (own, ref, marker) ->
                    """
                    {"resourceType":"Task","status":"requested","intent":"order",%s,
                     "for":{"reference":"Patient/%s"},"owner":{"reference":"Organization/%s"},
                     "focus":{"reference":"%s"}}""".formatted(identifier(marker), own.patient(), own.organization(), ref)));
        });
        // the guide's typed paths, extensions included
        paths.add(listPath("Observation.partOf", "Procedure", Centre::insertion, ReferenceIsolationIT::observation));
        paths.add(listPath(
                "Observation.derivedFrom", "Observation", Centre::observation, ReferenceIsolationIT::observation));
        paths.add(listPath(
                "Observation.hasMember", "Observation", Centre::observation, ReferenceIsolationIT::observation));
        paths.add(new Path(
                "Observation.device",
                "Device",
                Centre::device,
                (own, ref, marker) -> observation(own, marker, "\"device\":{\"reference\":\"" + ref + "\"}")));
        paths.add(listPath("Procedure.partOf", "Procedure", Centre::insertion, ReferenceIsolationIT::procedure));
        paths.add(listPath(
                "Procedure.complicationDetail", "Condition", Centre::condition, ReferenceIsolationIT::procedure));
        paths.add(new Path(
                "Procedure.focalDevice.manipulated",
                "Device",
                Centre::device,
                (own, ref, marker) ->
                        procedure(own, marker, "\"focalDevice\":[{\"manipulated\":{\"reference\":\"" + ref + "\"}}]")));
        paths.add(new Path(
                "Procedure.extension(mcs-consent)",
                "Consent",
                Centre::consent,
                (own, ref, marker) -> procedure(
                        own,
                        marker,
                        "\"extension\":[{\"url\":\"https://mcs-fhir.org/fhir/StructureDefinition/"
                                + "mcs-consent\",\"valueReference\":{\"reference\":\"" + ref + "\"}}]")));
        paths.add(new Path(
                "Consent.provision.data.reference",
                "Procedure",
                Centre::insertion,
                (own, ref, marker) -> TwoCentres.consent(own.patient(), "X")
                        .replace("Procedure/X", ref)
                        .replaceFirst("\\{", "{" + identifier(marker) + ",")));
        paths.add(new Path(
                "Condition.evidence.detail",
                "Observation",
                Centre::observation,
                (own, ref, marker) -> TwoCentres.condition(own.patient())
                        .replaceFirst(
                                "\\{",
                                "{" + identifier(marker) + "," + "\"evidence\":[{\"detail\":[{\"reference\":\"" + ref
                                        + "\"}]}],")));
        paths.add(new Path("Device.patient", "Patient", Centre::patient, (own, ref, marker) ->
                """
                {"resourceType":"Device",%s,"owner":{"reference":"Organization/%s"},"patient":{"reference":"%s"}}""".formatted(identifier(marker), own.organization(), ref)));
        return ownAndOther(paths);
    }

    /** Writes a resource of centre A with {@code marker} and the {@code extra} elements: observation or procedure. */
    @FunctionalInterface
    interface Writer {
        String of(Centre own, String marker, String extra);
    }

    /** A resource by {@code writer} whose list element named by {@code path} holds the one reference. */
    private static Path listPath(String path, String targetType, Function<Centre, String> target, Writer writer) {
        String element = path.substring(path.indexOf('.') + 1);
        return new Path(
                path, targetType, target, (own, ref, marker) -> writer.of(own, marker, references(element, ref)));
    }

    /** {@code "element":[{"reference":"ref"}]}, to go inside a resource's JSON. */
    private static String references(String element, String ref) {
        return "\"" + element + "\":[{\"reference\":\"" + ref + "\"}]";
    }

    /** Each case twice: aimed at the writer's own centre, and at the other. */
    private static Stream<Arguments> ownAndOther(List<?> cases) {
        return cases.stream().flatMap(c -> Stream.of(Arguments.of(c, "own"), Arguments.of(c, "other")));
    }

    @ParameterizedTest(name = "EHR of A writes {0} of the {1} centre")
    @MethodSource("paths")
    void aReferenceStaysInsideTheWritersCentre(Path path, String whose) {
        Centre target = whose.equals("own") ? data.a : data.b;
        String marker = uid();
        String body =
                path.body().of(data.a, path.targetType() + "/" + path.target().apply(target), marker);
        String type = body.replaceFirst("(?s).*?\"resourceType\"\\s*:\\s*\"(\\w+)\".*", "$1");
        Response response = fhir(data.a.ehrToken())
                .header("Prefer", "return=minimal")
                .body(body)
                .post("/" + type);
        if (whose.equals("own")) {
            assertThat(response.statusCode())
                    .as(path + "\n" + response.asString())
                    .isEqualTo(201);
        } else {
            assertRefused(response, path.toString());
            assertNothingStored(type, marker);
        }
    }

    /** One way in each: the check sits on the storage layer, so every way of writing meets it. */
    enum WayIn {
        CREATE,
        UPDATE,
        CONDITIONAL_CREATE,
        CONDITIONAL_UPDATE,
        JSON_PATCH,
        TRANSACTION,
        BATCH
    }

    static Stream<Arguments> waysIn() {
        return ownAndOther(List.of(WayIn.values()));
    }

    @ParameterizedTest(name = "EHR of A, {0}, Observation.focus -> the {1} centre's insertion")
    @MethodSource("waysIn")
    void everyWayOfWritingIsChecked(WayIn way, String whose) {
        Centre target = whose.equals("own") ? data.a : data.b;
        String ref = "Procedure/" + target.insertion();
        String marker = uid();
        String focused = observation(data.a, marker, references("focus", ref));
        RequestSpecification ehr = fhir(data.a.ehrToken()).header("Prefer", "return=minimal");
        Response response = switch (way) {
            case CREATE -> ehr.body(focused).post("/Observation");
            case UPDATE -> {
                String id = SecureServer.create(data.a.ehrToken(), "Observation", observation(data.a, uid(), null));
                yield ehr.body(focused.replaceFirst("\\{", "{\"id\":\"" + id + "\","))
                        .put("/Observation/" + id);
            }
            case CONDITIONAL_CREATE ->
                ehr.header("If-None-Exist", "identifier=" + MARKER_SYSTEM + "|" + marker)
                        .body(focused)
                        .post("/Observation");
            case CONDITIONAL_UPDATE -> ehr.body(focused).put("/Observation?identifier=" + MARKER_SYSTEM + "|" + marker);
            case JSON_PATCH -> {
                String id = SecureServer.create(data.a.ehrToken(), "Observation", observation(data.a, marker, null));
                yield ehr.contentType("application/json-patch+json")
                        .body("[{\"op\":\"add\",\"path\":\"/focus\",\"value\":[{\"reference\":\"" + ref + "\"}]}]")
                        .patch("/Observation/" + id);
            }
            case TRANSACTION, BATCH ->
                ehr.body("""
                    {"resourceType":"Bundle","type":"%s","entry":[{"fullUrl":"urn:uuid:%s","resource":%s,
                     "request":{"method":"POST","url":"Observation"}}]}""".formatted(way == WayIn.BATCH ? "batch" : "transaction", uid(), focused))
                        .post("/");
        };
        String body = response.asString();
        if (whose.equals("own")) {
            assertThat(response.statusCode()).as(way + "\n" + body).isIn(200, 201);
            if (way == WayIn.BATCH) {
                assertThat(response.jsonPath().getString("entry[0].response.status"))
                        .startsWith("201");
            }
            return;
        }
        if (way == WayIn.BATCH) {
            // a batch answers per entry, as the entry alone would have been answered
            assertThat(response.statusCode()).as(body).isEqualTo(200);
            assertThat(response.jsonPath().getString("entry[0].response.status"))
                    .as(body)
                    .startsWith("403");
        } else {
            assertRefused(response, way.toString());
        }
        if (way == WayIn.JSON_PATCH) {
            Response stored = fhir(data.a.ehrToken()).get("/Observation?identifier=" + MARKER_SYSTEM + "|" + marker);
            assertThat(stored.asString()).doesNotContain(ref);
        } else {
            assertNothingStored("Observation", marker);
        }
    }

    /**
     * The narrowed condition lists the centre's patients before the write: a new patient, or a record about a patient
     * created in the same transaction, must still be created conditionally (it was 400 "did not satisfy the
     * conditional URL"); a repeat finds the first; another centre's EHR does not find it.
     */
    @Test
    void anEhrCreatesPatientsAndTheirRecordsConditionally_onceEach_andOnlyInsideItsCentre() {
        String mrn = uid();
        String patient = """
                {"resourceType":"Patient","identifier":[{"system":"%s","value":"%s"}],"gender":"male",
                 "managingOrganization":{"reference":"Organization/%s"}}""";
        for (int attempt = 1; attempt <= 2; attempt++) {
            Response created = fhir(data.a.ehrToken())
                    .header("If-None-Exist", "identifier=" + MARKER_SYSTEM + "|" + mrn)
                    .body(patient.formatted(MARKER_SYSTEM, mrn, data.a.organization()))
                    .post("/Patient");
            assertThat(created.statusCode()).as(created.asString()).isEqualTo(attempt == 1 ? 201 : 200);
        }
        Response other = fhir(data.b.ehrToken())
                .header("If-None-Exist", "identifier=" + MARKER_SYSTEM + "|" + mrn)
                .body(patient.formatted(MARKER_SYSTEM, mrn, data.b.organization()))
                .post("/Patient");
        assertThat(other.statusCode()).as(other.asString()).isEqualTo(201);

        String newMrn = uid();
        String observation = uid();
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:%s","resource":%s,
                  "request":{"method":"POST","url":"Patient","ifNoneExist":"identifier=%s|%s"}},
                 {"resource":{"resourceType":"Observation",%s,"status":"final","code":{"text":"conditional"},
                  "subject":{"reference":"urn:uuid:%s"}},
                  "request":{"method":"POST","url":"Observation","ifNoneExist":"identifier=%s|%s"}}]}""".formatted(
                        newMrn,
                        patient.formatted(MARKER_SYSTEM, newMrn, data.a.organization()),
                        MARKER_SYSTEM,
                        newMrn,
                        identifier(observation),
                        newMrn,
                        MARKER_SYSTEM,
                        observation);
        for (String expected : List.of("201", "200")) {
            Response response = fhir(data.a.ehrToken()).body(transaction).post("/");
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
            assertThat(response.jsonPath().getList("entry.response.status", String.class))
                    .allSatisfy(status -> assertThat(status).startsWith(expected));
        }
    }

    @Test
    void aReferenceToARecordThatDoesNotExist_getsTheSameAnswerAsAnotherCentresRecord() {
        Response response = fhir(data.a.ehrToken())
                .body(observation(data.a, uid(), "\"focus\":[{\"reference\":\"Procedure/no-such-" + uid() + "\"}]"))
                .post("/Observation");
        assertRefused(response, "missing target");
    }

    @Test
    void aTransactionMayReferToWhatItCreatesItself() {
        String procedure = uid();
        Response response = fhir(data.a.ehrToken())
                .body("""
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:%s","resource":%s,"request":{"method":"POST","url":"Procedure"}},
                 {"fullUrl":"urn:uuid:%s","resource":%s,"request":{"method":"POST","url":"Observation"}}]}""".formatted(
                        procedure,
                        procedure(
                                data.a, uid(), "\"partOf\":[{\"reference\":\"Procedure/" + data.a.insertion() + "\"}]"),
                        uid(),
                        observation(data.a, uid(), "\"partOf\":[{\"reference\":\"urn:uuid:" + procedure + "\"}]")))
                .post("/");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
    }

    @Test
    void aConditionalReferenceToAClinicalRecord_isRefusedWhetherItWouldMatchOrNot() {
        for (String identifier : List.of(data.b.patientIdentifier(), "no-such-" + uid())) {
            Response response = fhir(data.a.ehrToken())
                    .body(observation(data.a, uid(), null)
                            .replace(
                                    "\"Patient/" + data.a.patient() + "\"",
                                    "\"Patient?identifier=https://mcs-fhir.org/fhir/sid/it-mrn|" + identifier + "\""))
                    .post("/Observation");
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
            assertThat(response.asString())
                    .contains("MCS-0412", "Observation.subject")
                    .doesNotContain(data.b.patient());
        }
    }

    @Test
    void sharedRegisters_mayBeReferencedByEveryCentre() {
        String practitioner = SecureServer.create(
                TwoCentres.ADMIN,
                "Practitioner",
                "{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"Operator" + uid().substring(0, 8)
                        + "\"}]}");
        Response response = fhir(data.a.ehrToken())
                .body(procedure(data.a, uid(), """
                "performer":[{"actor":{"reference":"Practitioner/%s"},"onBehalfOf":{"reference":"Organization/%s"}}]""".formatted(practitioner, data.b.organization())))
                .post("/Procedure");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(201);
    }

    @Test
    void aGatewayMayNotWriteTelemetryForItsPatientOnAnotherCentresPump() {
        Response response = fhir(data.a.gatewayToken())
                .body(TwoCentres.telemetryObservation(data.a.patient(), data.b.device(), uid()))
                .post("/Observation");
        assertRefused(response, "Observation.device");
    }

    private static void assertRefused(Response response, String what) {
        String body = response.asString();
        assertThat(response.statusCode()).as(what + "\n" + body).isEqualTo(403);
        assertThat(body).as(what).contains("OperationOutcome", "MCS-0403").doesNotContain("Exception", "\tat ");
        for (String marker : data.b.markers()) {
            assertThat(body).as(what + " leaks " + marker).doesNotContain(marker);
        }
    }

    private static void assertNothingStored(String type, String marker) {
        String registry = SecureServer.token("it-registry-id", TwoCentres.registryClaims(true));
        Response found =
                fhir(registry).get("/" + type + "?identifier=" + MARKER_SYSTEM + "|" + marker + "&_summary=count");
        assertThat(found.statusCode()).as(found.asString()).isEqualTo(200);
        assertThat(found.jsonPath().getInt("total"))
                .as(type + " with " + marker)
                .isZero();
    }

    private static String observation(Centre own, String marker, String extra) {
        return """
                {"resourceType":"Observation",%s,"status":"final","code":{"text":"reference test"},
                 "subject":{"reference":"Patient/%s"}%s}""".formatted(identifier(marker), own.patient(), extra == null ? "" : "," + extra);
    }

    private static String procedure(Centre own, String marker, String extra) {
        return """
                {"resourceType":"Procedure",%s,"status":"completed","code":{"text":"reference test"},
                 "subject":{"reference":"Patient/%s"},%s}""".formatted(identifier(marker), own.patient(), extra);
    }

    private static String identifier(String marker) {
        return "\"identifier\":[{\"system\":\"" + MARKER_SYSTEM + "\",\"value\":\"" + marker + "\"}]";
    }

    private static String uid() {
        return UUID.randomUUID().toString();
    }
}
