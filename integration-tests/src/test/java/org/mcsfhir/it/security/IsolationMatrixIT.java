package org.mcsfhir.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.it.security.SecureServer.fhir;
import static org.mcsfhir.it.security.SecureServer.token;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mcsfhir.it.security.TwoCentres.Centre;

/**
 * The isolation matrix: client kind × own / other centre × endpoint → expected status, and no other centre's
 * resource, id, identifier or name anywhere in a centre-bound client's response. The client is always bound to (or,
 * for kinds without a centre, simply aims at) centre A; "own" rows target A's data, "other" rows B's.
 *
 * <p>To cover a new endpoint, add rows to {@link #rows()}: one per client kind that may or may not use it, for own
 * and other centre. What a centre-bound client writes (references into another centre) is
 * {@link ReferenceIsolationIT}. Who owns a bulk export's status and files is
 * {@link #bulkExportStatusAndFiles_belongOnlyToTheClientThatStartedTheExport()}.
 */
class IsolationMatrixIT {

    /** Who calls. */
    enum Client {
        EHR(true),
        GATEWAY(true),
        REGISTRY(false),
        REGISTRY_IDENTIFIABLE(false),
        ADMIN(false),
        GOVERNANCE(false);

        final boolean centreBound;

        Client(boolean centreBound) {
            this.centreBound = centreBound;
        }

        String token(TwoCentres data) {
            return switch (this) {
                case EHR -> data.a.ehrToken();
                case GATEWAY -> data.a.gatewayToken();
                case REGISTRY -> SecureServer.token("it-registry", TwoCentres.registryClaims(false));
                case REGISTRY_IDENTIFIABLE -> SecureServer.token("it-registry-id", TwoCentres.registryClaims(true));
                case ADMIN -> TwoCentres.ADMIN;
                case GOVERNANCE ->
                    SecureServer.token(
                            "it-governance", SecureServer.claims("governance", null, "system/AuditEvent.rs"));
            };
        }
    }

    enum Target {
        OWN,
        OTHER
    }

    /** One cell of the matrix: the call is given a request with the client's token, the own centre and the target. */
    record Row(String endpoint, Client client, Target target, Call call, Set<Integer> expected) {
        @Override
        public String toString() {
            return client + " " + endpoint + " on " + target.name().toLowerCase() + " centre -> " + expected;
        }
    }

    @FunctionalInterface
    interface Call {
        Response send(RequestSpecification request, Centre own, Centre target);
    }

    private static TwoCentres data;

    @BeforeAll
    static void seed() {
        data = TwoCentres.get();
    }

    static Stream<Arguments> rows() {
        List<Row> rows = new ArrayList<>();
        // --- hospital EHR (bound to centre A): its patients and their compartments, nothing else
        both(rows, "read Patient", Client.EHR, (r, own, t) -> r.get("/Patient/" + t.patient()), 200, 403);
        both(
                rows,
                "vread Patient",
                Client.EHR,
                (r, own, t) -> r.get("/Patient/" + t.patient() + "/_history/1"),
                200,
                403);
        both(rows, "read Observation", Client.EHR, (r, own, t) -> r.get("/Observation/" + t.observation()), 200, 403);
        both(rows, "read Device", Client.EHR, (r, own, t) -> r.get("/Device/" + t.device()), 200, 403);
        both(
                rows,
                "read Organization",
                Client.EHR,
                (r, own, t) -> r.get("/Organization/" + t.organization()),
                200,
                403);
        // asking for another centre's patient by id or reference is refused by search narrowing (HAPI: 403)
        both(rows, "search Patient by _id", Client.EHR, (r, own, t) -> r.get("/Patient?_id=" + t.patient()), 200, 403);
        both(
                rows,
                "search Patient by identifier",
                Client.EHR,
                (r, own, t) -> r.get("/Patient?identifier=" + t.patientIdentifier()),
                200,
                200);
        both(
                rows,
                "search Observation _include subject",
                Client.EHR,
                (r, own, t) ->
                        r.get("/Observation?identifier=" + t.observationIdentifier() + "&_include=Observation:subject"),
                200,
                200);
        both(
                rows,
                "search Patient _revinclude Observation",
                Client.EHR,
                (r, own, t) ->
                        r.get("/Patient?identifier=" + t.patientIdentifier() + "&_revinclude=Observation:subject"),
                200,
                200);
        both(
                rows,
                "search Observation chained subject:Patient.family",
                Client.EHR,
                (r, own, t) -> r.get("/Observation?subject:Patient.family=" + t.family()),
                200,
                200);
        both(
                rows,
                "search Observation _summary=count",
                Client.EHR,
                (r, own, t) -> r.get("/Observation?subject=Patient/" + t.patient() + "&_summary=count"),
                200,
                403);
        both(
                rows,
                "search Patient _has:Observation",
                Client.EHR,
                (r, own, t) -> r.get("/Patient?_has:Observation:subject:identifier=" + t.observationIdentifier()),
                200,
                200);
        both(
                rows,
                "instance history",
                Client.EHR,
                (r, own, t) -> r.get("/Patient/" + t.patient() + "/_history"),
                200,
                403);
        both(rows, "type history", Client.EHR, (r, own, t) -> r.get("/Observation/_history"), 403, 403);
        both(rows, "system history", Client.EHR, (r, own, t) -> r.get("/_history"), 403, 403);
        // not served by this server at all (400 not-supported), for every client
        both(rows, "system search", Client.EHR, (r, own, t) -> r.get("/_search?_type=Patient"), 400, 400);
        both(rows, "search Organization", Client.EHR, (r, own, t) -> r.get("/Organization?_summary=count"), 403, 403);
        both(
                rows,
                "$everything",
                Client.EHR,
                (r, own, t) -> r.get("/Patient/" + t.patient() + "/$everything"),
                200,
                403);
        both(
                rows,
                "create Observation",
                Client.EHR,
                (r, own, t) -> r.body(TwoCentres.clinicalObservation(t.patient(), uid()))
                        .post("/Observation"),
                201,
                403);
        both(
                rows,
                "create Patient managed by centre",
                Client.EHR,
                (r, own, t) -> r.body(patient(t.organization()))
                        .header("Prefer", "return=minimal")
                        .post("/Patient"),
                201,
                403);
        both(
                rows,
                "update Observation",
                Client.EHR,
                (r, own, t) -> r.body(TwoCentres.clinicalObservation(own.patient(), t.observationIdentifier())
                                .replaceFirst("\\{", "{\"id\":\"" + t.observation() + "\","))
                        .put("/Observation/" + t.observation()),
                200,
                403);
        both(
                rows,
                "move patient to other centre",
                Client.EHR,
                (r, own, t) ->
                        r.body(patientWithId(own.patient(), t.organization())).put("/Patient/" + own.patient()),
                200,
                403);
        both(
                rows,
                "delete Observation",
                Client.EHR,
                (r, own, t) -> r.delete("/Observation/" + t.telemetry()),
                200,
                403);
        both(
                rows,
                "transaction creating Observation",
                Client.EHR,
                (r, own, t) -> r.body(bundle(
                                "transaction",
                                "POST",
                                "Observation",
                                TwoCentres.clinicalObservation(t.patient(), uid())))
                        .post("/"),
                200,
                403);
        both(
                rows,
                "batch reading Patient",
                Client.EHR,
                (r, own, t) -> r.body(bundle("batch", "GET", "Patient/" + t.patient(), null))
                        .post("/"),
                200,
                200);
        both(
                rows,
                "batch type history",
                Client.EHR,
                (r, own, t) -> r.body(bundle("batch", "GET", "Observation/_history", null))
                        .post("/"),
                403,
                403);
        both(
                rows,
                "conditional create Observation (If-None-Exist)",
                Client.EHR,
                (r, own, t) -> r.header("If-None-Exist", "identifier=" + t.observationIdentifier())
                        .header("Prefer", "return=minimal")
                        .body(TwoCentres.clinicalObservation(own.patient(), t.observationIdentifier()))
                        .post("/Observation"),
                200,
                201);
        both(
                rows,
                "conditional update Observation",
                Client.EHR,
                (r, own, t) -> r.header("Prefer", "return=minimal")
                        .body(TwoCentres.clinicalObservation(own.patient(), t.observationIdentifier()))
                        .put("/Observation?identifier=" + t.observationIdentifier()),
                Set.of(200),
                Set.of(200, 201));
        both(
                rows,
                "conditional delete Observation",
                Client.EHR,
                (r, own, t) -> r.delete("/Observation?identifier=" + t.observationIdentifier() + "-none"),
                200,
                200);
        both(
                rows,
                "bulk $export",
                Client.EHR,
                (r, own, t) -> r.header("Prefer", "respond-async").get("/$export"),
                403,
                403);
        both(rows, "Group bulk $export of the centre", Client.EHR, IsolationMatrixIT::centreGroupExport, 403, 403);
        both(rows, "$registry-case", Client.EHR, IsolationMatrixIT::registryCase, 200, 403);
        both(rows, "$telemetry-series", Client.EHR, IsolationMatrixIT::telemetrySeries, 200, 403);
        both(rows, "telemetry gateway", Client.EHR, IsolationMatrixIT::gatewaySamples, 403, 403);
        // worklist Tasks belong to a centre through Task.owner (Task is not in HAPI's R4 Patient compartment)
        both(rows, "read Task", Client.EHR, (r, own, t) -> r.get("/Task/" + t.task()), 200, 403);
        both(
                rows,
                "search Task by owner",
                Client.EHR,
                (r, own, t) -> r.get("/Task?owner=Organization/" + t.organization()),
                200,
                403);
        both(
                rows,
                "search Task _summary=count",
                Client.EHR,
                (r, own, t) -> r.get("/Task?_summary=count&_id=" + t.task()),
                200,
                200);
        both(
                rows,
                "create Task",
                Client.EHR,
                (r, own, t) ->
                        r.body(TwoCentres.task(t.patient(), t.organization())).post("/Task"),
                201,
                403);
        both(
                rows,
                "create Task for own patient owned by a centre",
                Client.EHR,
                (r, own, t) ->
                        r.body(TwoCentres.task(own.patient(), t.organization())).post("/Task"),
                201,
                403);
        both(
                rows,
                "conditional create Task (not narrowable, refused)",
                Client.EHR,
                (r, own, t) -> r.header("If-None-Exist", "_id=" + t.task())
                        .body(TwoCentres.task(own.patient(), own.organization()))
                        .post("/Task"),
                403,
                403);
        both(
                rows,
                "transaction with conditional create Task",
                Client.EHR,
                (r, own, t) -> r.body(
                                """
                {"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:%s","resource":%s,
                 "request":{"method":"POST","url":"Task","ifNoneExist":"_id=%s"}}]}""".formatted(uid(), TwoCentres.task(own.patient(), own.organization()), t.task()))
                        .post("/"),
                403,
                403);
        both(
                rows,
                "batch searching Task",
                Client.EHR,
                (r, own, t) -> r.body(bundle("batch", "GET", "Task?owner=Organization/" + t.organization(), null))
                        .post("/"),
                403,
                403);
        both(
                rows,
                "GraphQL (not enabled)",
                Client.EHR,
                (r, own, t) -> r.queryParam("query", "{PatientList{id}}").get("/$graphql"),
                400,
                400);
        both(rows, "AuditEvent search", Client.EHR, (r, own, t) -> r.get("/AuditEvent"), 403, 403);
        both(
                rows,
                "path outside /fhir",
                Client.EHR,
                (r, own, t) -> r.baseUri(root()).get("/actuator/prometheus"),
                403,
                403);

        // --- device gateway (bound to centre A): telemetry writes for its centre only, nothing else
        both(
                rows,
                "create telemetry Observation",
                Client.GATEWAY,
                (r, own, t) -> r.body(TwoCentres.telemetryObservation(t.patient(), t.device(), uid()))
                        .post("/Observation"),
                201,
                403);
        both(
                rows,
                "create clinical Observation",
                Client.GATEWAY,
                (r, own, t) -> r.body(TwoCentres.clinicalObservation(t.patient(), uid()))
                        .post("/Observation"),
                403,
                403);
        both(rows, "read Patient", Client.GATEWAY, (r, own, t) -> r.get("/Patient/" + t.patient()), 403, 403);
        both(
                rows,
                "read telemetry Observation",
                Client.GATEWAY,
                (r, own, t) -> r.get("/Observation/" + t.telemetry()),
                403,
                403);
        both(rows, "search Observation", Client.GATEWAY, (r, own, t) -> r.get("/Observation?_summary=count"), 403, 403);
        both(rows, "telemetry gateway", Client.GATEWAY, IsolationMatrixIT::gatewaySamples, 200, 403);
        both(
                rows,
                "telemetry gateway, unknown device",
                Client.GATEWAY,
                (r, own, t) -> r.baseUri(root())
                        .contentType("application/x-ndjson")
                        .accept("application/json, application/fhir+json")
                        .body(sample().getBytes(StandardCharsets.UTF_8))
                        .post("/telemetry/v1/devices/no-such-" + t.device() + "/samples"),
                403,
                403);
        both(rows, "$registry-case", Client.GATEWAY, IsolationMatrixIT::registryCase, 403, 403);
        both(rows, "$telemetry-series", Client.GATEWAY, IsolationMatrixIT::telemetrySeries, 403, 403);
        both(rows, "read Task", Client.GATEWAY, (r, own, t) -> r.get("/Task/" + t.task()), 403, 403);

        // --- registry: reads across centres, pseudonymised (no Patient reads) without the identifiable-data grant, no
        // writes
        both(
                rows,
                "read Observation",
                Client.REGISTRY,
                (r, own, t) -> r.get("/Observation/" + t.observation()),
                200,
                200);
        both(
                rows,
                "search Observation _summary=count",
                Client.REGISTRY,
                (r, own, t) -> r.get("/Observation?_summary=count"),
                200,
                200);
        both(rows, "read Patient", Client.REGISTRY, (r, own, t) -> r.get("/Patient/" + t.patient()), 403, 403);
        both(
                rows,
                "search Observation chained into Patient",
                Client.REGISTRY,
                (r, own, t) -> r.get("/Observation?subject:Patient.family=" + t.family()),
                403,
                403);
        both(
                rows,
                "search Observation by reverse chain",
                Client.REGISTRY,
                (r, own, t) -> r.get("/Observation?_has:Procedure:subject:code=232967006"),
                403,
                403);
        both(
                rows,
                "search Observation chained into Patient",
                Client.REGISTRY_IDENTIFIABLE,
                (r, own, t) -> r.get("/Observation?subject:Patient.family=" + t.family()),
                200,
                200);
        both(
                rows,
                "create Observation",
                Client.REGISTRY,
                (r, own, t) -> r.body(TwoCentres.clinicalObservation(t.patient(), uid()))
                        .post("/Observation"),
                403,
                403);
        // without the grant the export is pseudonymised (PseudonymisedBulkExportIT checks its content)
        both(
                rows,
                "bulk $export",
                Client.REGISTRY,
                (r, own, t) -> r.header("Prefer", "respond-async").get("/$export"),
                202,
                202);
        both(rows, "Group bulk $export", Client.REGISTRY, IsolationMatrixIT::centreGroupExport, 202, 202);
        both(rows, "$registry-case", Client.REGISTRY, IsolationMatrixIT::registryCase, 200, 200);
        both(rows, "$telemetry-series", Client.REGISTRY, IsolationMatrixIT::telemetrySeries, 200, 200);
        both(rows, "read Task", Client.REGISTRY, (r, own, t) -> r.get("/Task/" + t.task()), 200, 200);
        both(rows, "telemetry gateway", Client.REGISTRY, IsolationMatrixIT::gatewaySamples, 403, 403);
        both(
                rows,
                "$everything",
                Client.REGISTRY_IDENTIFIABLE,
                (r, own, t) -> r.get("/Patient/" + t.patient() + "/$everything"),
                200,
                200);
        both(
                rows,
                "read Patient",
                Client.REGISTRY_IDENTIFIABLE,
                (r, own, t) -> r.get("/Patient/" + t.patient()),
                200,
                200);
        both(
                rows,
                "delete Observation",
                Client.REGISTRY_IDENTIFIABLE,
                (r, own, t) -> r.delete("/Observation/" + t.telemetry()),
                403,
                403);
        both(
                rows,
                "bulk $export",
                Client.REGISTRY_IDENTIFIABLE,
                (r, own, t) -> r.header("Prefer", "respond-async").get("/$export?_type=Observation"),
                202,
                202);
        both(rows, "Group bulk $export", Client.REGISTRY_IDENTIFIABLE, IsolationMatrixIT::centreGroupExport, 202, 202);
        both(rows, "$registry-case", Client.REGISTRY_IDENTIFIABLE, IsolationMatrixIT::registryCase, 200, 200);

        // --- administrator: conformance resources and centres, no clinical data
        both(
                rows,
                "create ValueSet",
                Client.ADMIN,
                (r, own, t) -> r.body(
                                "{\"resourceType\":\"ValueSet\",\"status\":\"draft\",\"url\":\"https://hospital.example/fhir/ValueSet/it-"
                                        + uid() + "\"}")
                        .post("/ValueSet"),
                201,
                201);
        both(rows, "read Patient", Client.ADMIN, (r, own, t) -> r.get("/Patient/" + t.patient()), 403, 403);
        both(rows, "search Observation", Client.ADMIN, (r, own, t) -> r.get("/Observation"), 403, 403);
        both(rows, "$registry-case", Client.ADMIN, IsolationMatrixIT::registryCase, 403, 403);
        both(rows, "$telemetry-series", Client.ADMIN, IsolationMatrixIT::telemetrySeries, 403, 403);
        both(
                rows,
                "bulk $export",
                Client.ADMIN,
                (r, own, t) -> r.header("Prefer", "respond-async").get("/$export"),
                403,
                403);
        both(rows, "telemetry gateway", Client.ADMIN, IsolationMatrixIT::gatewaySamples, 403, 403);

        // kinds that may not read patients may not find records by a patient's data either: chains and reverse
        // chains are refused in every spelling and every way in (query, POST _search form, batch entry)
        both(
                rows,
                "search Organization _has:Patient identifier",
                Client.ADMIN,
                (r, own, t) -> r.get("/Organization?_has:Patient:organization:identifier=" + t.patientIdentifier()),
                403,
                403);
        both(
                rows,
                "search Organization _has:Patient family",
                Client.ADMIN,
                (r, own, t) -> r.get("/Organization?_has:Patient:organization:family=" + t.family()),
                403,
                403);
        both(
                rows,
                "search Organization _has:Patient birthdate",
                Client.ADMIN,
                (r, own, t) -> r.get("/Organization?_has:Patient:organization:birthdate=1967-09-14"),
                403,
                403);
        both(
                rows,
                "POST Organization/_search _has:Patient",
                Client.ADMIN,
                (r, own, t) -> r.contentType("application/x-www-form-urlencoded")
                        .formParam("_has:Patient:organization:family", t.family())
                        .post("/Organization/_search"),
                403,
                403);
        both(
                rows,
                "batch searching Organization _has:Patient",
                Client.ADMIN,
                (r, own, t) -> r.body(bundle(
                                "batch", "GET", "Organization?_has:Patient:organization:family=" + t.family(), null))
                        .post("/"),
                403,
                403);
        both(
                rows,
                "search Organization by name (no chain)",
                Client.ADMIN,
                (r, own, t) -> r.get("/Organization?name=Centre&_summary=count"),
                200,
                200);
        both(
                rows,
                "search AuditEvent patient.identifier",
                Client.GOVERNANCE,
                (r, own, t) -> r.get("/AuditEvent?patient.identifier=" + t.patientIdentifier()),
                403,
                403);
        both(
                rows,
                "search AuditEvent patient:Patient.family",
                Client.GOVERNANCE,
                (r, own, t) -> r.get("/AuditEvent?patient:Patient.family=" + t.family()),
                403,
                403);
        both(
                rows,
                "search AuditEvent entity:Patient.birthdate",
                Client.GOVERNANCE,
                (r, own, t) -> r.get("/AuditEvent?entity:Patient.birthdate=1967-09-14"),
                403,
                403);
        both(
                rows,
                "search AuditEvent agent.name (chain at any depth)",
                Client.GOVERNANCE,
                (r, own, t) -> r.get("/AuditEvent?patient.organization.name=Centre"),
                403,
                403);
        both(
                rows,
                "POST AuditEvent/_search patient.identifier",
                Client.GOVERNANCE,
                (r, own, t) -> r.contentType("application/x-www-form-urlencoded")
                        .formParam("patient.identifier", t.patientIdentifier())
                        .post("/AuditEvent/_search"),
                403,
                403);
        both(
                rows,
                "search AuditEvent _has",
                Client.GOVERNANCE,
                (r, own, t) -> r.get("/AuditEvent?_has:Provenance:target:agent=Organization/" + t.organization()),
                403,
                403);
        both(
                rows,
                "search AuditEvent by patient id (no chain)",
                Client.GOVERNANCE,
                (r, own, t) -> r.get("/AuditEvent?patient=Patient/" + t.patient() + "&_summary=count"),
                200,
                200);
        both(
                rows,
                "POST Observation/_search chained into Patient",
                Client.REGISTRY,
                (r, own, t) -> r.contentType("application/x-www-form-urlencoded")
                        .formParam("subject:Patient.identifier", t.patientIdentifier())
                        .post("/Observation/_search"),
                403,
                403);

        // --- the register of trained operators: admins keep it, EHRs read it, nobody reaches patients through it
        both(
                rows,
                "create Practitioner",
                Client.ADMIN,
                (r, own, t) -> r.body("{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"Op\"}]}")
                        .post("/Practitioner"),
                201,
                201);
        both(
                rows,
                "create PractitionerRole at a centre",
                Client.ADMIN,
                (r, own, t) -> r.body(
                                "{\"resourceType\":\"PractitionerRole\",\"organization\":{\"reference\":\"Organization/"
                                        + t.organization() + "\"}}")
                        .post("/PractitionerRole"),
                201,
                201);
        both(
                rows,
                "search PractitionerRole of a centre",
                Client.EHR,
                (r, own, t) -> r.get("/PractitionerRole?organization=Organization/" + t.organization()),
                200,
                200);
        both(rows, "search Practitioner", Client.EHR, (r, own, t) -> r.get("/Practitioner?_count=5"), 200, 200);
        both(
                rows,
                "create Practitioner",
                Client.EHR,
                (r, own, t) -> r.body("{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"Op\"}]}")
                        .post("/Practitioner"),
                403,
                403);
        both(
                rows,
                "search Practitioner _has:Procedure into patients",
                Client.EHR,
                (r, own, t) -> r.get("/Practitioner?_has:Procedure:performer:subject=Patient/" + t.patient()),
                403,
                403);
        both(
                rows,
                "search PractitionerRole chained",
                Client.EHR,
                (r, own, t) -> r.get("/PractitionerRole?practitioner.name=Op"),
                403,
                403);
        both(
                rows,
                "search Practitioner _revinclude Procedure",
                Client.EHR,
                (r, own, t) -> r.get("/Practitioner?_revinclude=Procedure:performer"),
                403,
                403);
        both(rows, "search Practitioner", Client.REGISTRY, (r, own, t) -> r.get("/Practitioner?_count=5"), 200, 200);
        both(rows, "search Practitioner", Client.GOVERNANCE, (r, own, t) -> r.get("/Practitioner?_count=5"), 403, 403);

        // --- the outcome audit of a centre-bound client: its own centre only, and only what a read would return
        both(
                rows,
                "Measure/$audit of a centre",
                Client.EHR,
                (r, own, t) -> r.get("/Measure/$audit?periodStart=2026-01-01&periodEnd=2026-12-31&centre=Organization/"
                        + t.organization()),
                200,
                403);
        both(
                rows,
                "Measure/$audit-dataset of a centre",
                Client.EHR,
                (r, own, t) -> r.get("/Measure/$audit-dataset?periodStart=2026-01-01&periodEnd=2026-12-31"
                        + "&centre=Organization/" + t.organization()),
                200,
                403);

        // --- governance: the access log only
        both(
                rows,
                "search AuditEvent",
                Client.GOVERNANCE,
                (r, own, t) -> r.get("/AuditEvent?_summary=count"),
                200,
                200);
        both(rows, "read Patient", Client.GOVERNANCE, (r, own, t) -> r.get("/Patient/" + t.patient()), 403, 403);
        both(rows, "$registry-case", Client.GOVERNANCE, IsolationMatrixIT::registryCase, 403, 403);
        both(rows, "$telemetry-series", Client.GOVERNANCE, IsolationMatrixIT::telemetrySeries, 403, 403);
        both(
                rows,
                "bulk $export",
                Client.GOVERNANCE,
                (r, own, t) -> r.header("Prefer", "respond-async").get("/$export"),
                403,
                403);
        return rows.stream().map(row -> Arguments.of(row));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void matrix(Row row) {
        Centre target = row.target() == Target.OWN ? data.a : data.b;
        StringBuilder sent = new StringBuilder();
        RequestSpecification request = fhir(row.client().token(data)).filter((req, res, ctx) -> {
            sent.append(URLDecoder.decode(req.getURI(), StandardCharsets.UTF_8));
            sent.append(req.getHeaders().toString());
            if (req.getBody() != null) {
                sent.append(req.getBody().toString());
            }
            return ctx.next(req, res);
        });
        Response response = row.call().send(request, data.a, target);
        String body = response.asString();
        // 200 and 204 are the same answer here (HAPI chooses between them for deletes)
        int status = response.statusCode() == 204 ? 200 : response.statusCode();
        assertThat(status).as(row + "\n" + body).isIn(row.expected());
        if (response.statusCode() >= 400) {
            assertThat(body).as(row.toString()).contains("OperationOutcome").doesNotContain("\tat ", "Exception");
        }
        if (row.client().centreBound) {
            // what the client sent itself (echoed in Bundle.link or a diagnostic) is not a leak
            String decodedBody = URLDecoder.decode(body.replace("+", "%2B"), StandardCharsets.UTF_8);
            for (String marker : data.b.markers()) {
                if (sent.toString().contains(marker)) {
                    continue;
                }
                assertThat(decodedBody).as(row + ": leaks centre B's " + marker).doesNotContain(marker);
            }
        }
    }

    @Test
    void batchReads_returnExactlyTheResourceAskedFor_andRefuseAnotherCentresPerEntry() {
        for (String path : List.of(
                "Patient/" + data.a.patient(),
                "Observation/" + data.a.observation(),
                "Procedure/" + data.a.insertion(),
                "Patient/" + data.a.patient() + "/_history/1")) {
            Response response = fhir(data.a.ehrToken())
                    .body(bundle("batch", "GET", path, null))
                    .post("/");
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
            assertThat(response.jsonPath().getString("entry[0].response.status"))
                    .as(path)
                    .startsWith("200");
            String type = path.substring(0, path.indexOf('/'));
            String id = path.split("/")[1];
            assertThat(response.jsonPath().getString("entry[0].resource.resourceType"))
                    .as(path)
                    .isEqualTo(type);
            assertThat(response.jsonPath().getString("entry[0].resource.id"))
                    .as(path)
                    .isEqualTo(id);
        }
        for (String path : List.of(
                "Patient/" + data.b.patient(),
                "Observation/" + data.b.observation(),
                "Procedure/" + data.b.insertion())) {
            Response response = fhir(data.a.ehrToken())
                    .body(bundle("batch", "GET", path, null))
                    .post("/");
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
            assertThat(response.jsonPath().getString("entry[0].response.status"))
                    .as(path)
                    .startsWith("403");
            for (String marker : data.b.markers()) {
                if (!path.contains(marker)) {
                    assertThat(response.asString()).as(path).doesNotContain(marker);
                }
            }
        }
    }

    @Test
    void countsOfACentreBoundClientCountOnlyItsOwnCentre() {
        Response response = fhir(data.a.ehrToken()).get("/Device?_summary=count");
        assertThat(response.statusCode()).isEqualTo(200);
        // other ITs of this server add devices to centre A: compare with what a registry counts for A and in all
        String registry = Client.REGISTRY.token(data);
        int ownDevices = fhir(registry)
                .get("/Device?organization=Organization/" + data.a.organization() + "&_summary=count")
                .jsonPath()
                .getInt("total");
        int allDevices = fhir(registry).get("/Device?_summary=count").jsonPath().getInt("total");
        assertThat(response.jsonPath().getInt("total")).isEqualTo(ownDevices).isLessThan(allDevices);
    }

    @Test
    void otherCentresDataIsUntouchedByConditionalOperationsOfAnotherCentre() {
        fhir(data.b.ehrToken())
                .get("/Observation/" + data.b.observation())
                .then()
                .statusCode(200);
        fhir(data.b.ehrToken())
                .get("/Observation?identifier=" + data.b.observationIdentifier() + "&_summary=count")
                .then()
                .statusCode(200);
    }

    @Test
    void taskCountsOfACentreBoundClientCountOnlyItsOwnCentre() {
        Response response = fhir(data.a.ehrToken()).get("/Task?_summary=count");
        assertThat(response.statusCode()).isEqualTo(200);
        int own = response.jsonPath().getInt("total");
        int all = fhir(Client.REGISTRY.token(data))
                .get("/Task?_summary=count")
                .jsonPath()
                .getInt("total");
        assertThat(own).isPositive().isLessThan(all);
    }

    @Test
    void gatewayWithoutToken_isUnauthorised() {
        Response response = fhir(null)
                .baseUri(root())
                .contentType("application/x-ndjson")
                .accept("application/json, application/fhir+json")
                .body(sample().getBytes(StandardCharsets.UTF_8))
                .post("/telemetry/v1/devices/" + data.a.device() + "/samples");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.asString()).contains("OperationOutcome", "MCS-0401");
    }

    @Test
    void registryWithoutTheGrant_getsThePseudonymisedCaseEvenWhenAskingForTheIdentifiableOne() {
        String body = fhir(Client.REGISTRY.token(data))
                .get("/Procedure/" + data.b.insertion() + "/$registry-case?pseudonymise=false")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(body)
                .contains("\"resourceType\":\"Bundle\"")
                .doesNotContain(
                        data.b.family(),
                        data.b.patientIdentifier(),
                        "1967-09-14",
                        "\"id\":\"" + data.b.patient() + "\"",
                        "Patient/" + data.b.patient() + "\"");
    }

    @Test
    void registryWithTheGrant_andTheCentresOwnEhr_getTheIdentifiableCase() {
        for (String token : List.of(Client.REGISTRY_IDENTIFIABLE.token(data), data.a.ehrToken())) {
            String body = fhir(token)
                    .get("/Procedure/" + data.a.insertion() + "/$registry-case?pseudonymise=false")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            assertThat(body).contains(data.a.family(), data.a.patientIdentifier(), "Patient/" + data.a.patient());
        }
    }

    @Test
    void bulkExportStatusAndFiles_belongOnlyToTheClientThatStartedTheExport() throws InterruptedException {
        String owner = SecureServer.token("it-registry-owner", TwoCentres.registryClaims(true));
        String otherRegistry = SecureServer.token("it-registry-other", TwoCentres.registryClaims(true));
        Response kickOff = fhir(owner).header("Prefer", "respond-async").get("/$export?_type=Observation");
        assertThat(kickOff.statusCode()).as(kickOff.asString()).isEqualTo(202);
        String status = kickOff.header("Content-Location");

        for (String intruder : List.of(otherRegistry, data.a.ehrToken(), Client.GOVERNANCE.token(data))) {
            Response polled = fhir(intruder).get(status);
            assertThat(polled.statusCode()).as(polled.asString()).isEqualTo(403);
            assertThat(polled.asString()).contains("OperationOutcome").doesNotContain("output");
        }
        Response manifest = fhir(owner).get(status);
        for (int i = 0; i < 120 && manifest.statusCode() == 202; i++) {
            Thread.sleep(500);
            manifest = fhir(owner).get(status);
        }
        assertThat(manifest.statusCode()).as(manifest.asString()).isEqualTo(200);
        List<String> files = manifest.jsonPath().getList("output.url", String.class);
        assertThat(files).isNotEmpty();
        for (String file : files) {
            fhir(owner).accept("application/fhir+ndjson").get(file).then().statusCode(200);
            for (String intruder : List.of(otherRegistry, data.a.ehrToken(), Client.GOVERNANCE.token(data))) {
                Response download =
                        fhir(intruder).accept("application/fhir+json").get(file);
                assertThat(download.statusCode())
                        .as(file + " " + download.asString())
                        .isEqualTo(403);
                assertThat(download.asString())
                        .doesNotContain(data.a.observationIdentifier(), data.b.observationIdentifier());
            }
        }
    }

    private static Response registryCase(RequestSpecification request, Centre own, Centre target) {
        return request.get("/Procedure/" + target.insertion() + "/$registry-case");
    }

    private static Response telemetrySeries(RequestSpecification request, Centre own, Centre target) {
        return request.get("/Device/" + target.device()
                + "/$telemetry-series?channel=pump-flow&start=2026-03-10T15:00:00Z&end=2026-03-10T16:00:00Z");
    }

    private static Response centreGroupExport(RequestSpecification request, Centre own, Centre target) {
        return request.header("Prefer", "respond-async")
                .get("/Group/mcs-centre-" + target.organization() + "/$export?_type=Observation");
    }

    private static Response gatewaySamples(RequestSpecification request, Centre own, Centre target) {
        return request.baseUri(root())
                .contentType("application/x-ndjson")
                .accept("application/json, application/fhir+json")
                .body(sample().getBytes(StandardCharsets.UTF_8))
                .post("/telemetry/v1/devices/" + target.device() + "/samples");
    }

    /** One console sample a minute ago (the gateway refuses samples from the future). */
    private static String sample() {
        String time =
                Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();
        return "{\"time\":\"" + time + "\",\"pump-flow\":3.3}\n";
    }

    private static void both(List<Row> rows, String endpoint, Client client, Call call, int own, int other) {
        both(rows, endpoint, client, call, Set.of(own), Set.of(other));
    }

    private static void both(
            List<Row> rows, String endpoint, Client client, Call call, Set<Integer> own, Set<Integer> other) {
        rows.add(new Row(endpoint, client, Target.OWN, call, own));
        rows.add(new Row(endpoint, client, Target.OTHER, call, other));
    }

    private static String uid() {
        return UUID.randomUUID().toString();
    }

    private static String root() {
        return SecureServer.get().root();
    }

    private static String patient(String organization) {
        return """
                {"resourceType":"Patient","gender":"male","birthDate":"1970-01-01",
                 "managingOrganization":{"reference":"Organization/%s"}}""".formatted(organization);
    }

    private static String patientWithId(String id, String organization) {
        return patient(organization).replaceFirst("\\{", "{\"id\":\"" + id + "\",");
    }

    private static String bundle(String type, String method, String url, String resource) {
        String entry = resource == null
                ? "{\"request\":{\"method\":\"%s\",\"url\":\"%s\"}}".formatted(method, url)
                : "{\"fullUrl\":\"urn:uuid:%s\",\"resource\":%s,\"request\":{\"method\":\"%s\",\"url\":\"%s\"}}"
                        .formatted(uid(), resource, method, url);
        return "{\"resourceType\":\"Bundle\",\"type\":\"%s\",\"entry\":[%s]}".formatted(type, entry);
    }
}
