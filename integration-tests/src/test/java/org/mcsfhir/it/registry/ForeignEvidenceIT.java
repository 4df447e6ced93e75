package org.mcsfhir.it.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.it.support.TestServer.fhir;
import static org.mcsfhir.testsupport.TransactionBundle.putEntry;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.outcomes.FhirJson;
import org.mcsfhir.it.support.BundleKeys;
import org.mcsfhir.testsupport.TransactionBundle;

/**
 * Defence in depth against one centre putting evidence into another centre's case (the shared test server runs in
 * open mode, so the write side stores it): records of centre A's patient P1 that point at centre B's insertion of P2
 * ({@code focus}, {@code partOf}, {@code provision.data}), and an insertion of P1 that names P2's pump, complication
 * and consent, must stay out of both cases' {@code $registry-case}, {@code Measure/$audit} and worklist. And a case's
 * centre is its patient's managingOrganization, even when {@code performer.onBehalfOf} names another one.
 */
class ForeignEvidenceIT {

    private static final String RUN = "fe-" + UUID.randomUUID().toString().substring(0, 8);
    // no other IT writes insertions in 2008: the audit over this period sees only these cases
    private static final LocalDate T0 = LocalDate.parse("2008-05-01");
    private static final LocalDate REFERENCE = LocalDate.parse("2009-06-30");
    private static final String BLEEDING = "http://snomed.info/sct|131148009|Bleeding";
    private static final String ACCESS = "7657000|Structure of femoral artery";
    private static final String STEMI =
            "http://snomed.info/sct|401303003|Acute ST segment elevation myocardial infarction";

    private static final String A = RUN + "-centre-a";
    private static final String B = RUN + "-centre-b";
    private static final String OPERATOR = RUN + "-operator";
    private static final String P1 = RUN + "-p1";
    private static final String P2 = RUN + "-p2";
    private static final String D1 = RUN + "-pump-1";
    private static final String D2 = RUN + "-pump-2";
    /** P1's insertion at A; performer.onBehalfOf names B, its complicationDetail and consent extension are P2's. */
    private static final String I1 = RUN + "-insertion-1";
    /** Another insertion of P1 (outside the audit period) whose only pump is P2's. */
    private static final String I1_FOREIGN_PUMP = RUN + "-insertion-1x";

    private static final String I2 = RUN + "-insertion-2";
    private static final String CONSENT_2 = RUN + "-consent-2";
    private static final String BLEEDING_2 = RUN + "-bleeding-2";
    private static final List<String> P1_ABOUT_I2 = List.of(
            "Observation/" + RUN + "-dead-1",
            "Observation/" + RUN + "-support-1",
            "Observation/" + RUN + "-qol-1",
            "Procedure/" + RUN + "-removal-1",
            "Consent/" + RUN + "-consent-1");

    @BeforeAll
    static void storeTwoCentresCasesAndTheForeignEvidence() {
        StringBuilder entries = new StringBuilder();
        putEntry(entries, "Organization", A, FhirJson.centre(A, "FEA" + RUN));
        putEntry(entries, "Organization", B, FhirJson.centre(B, "FEB" + RUN));
        putEntry(entries, "Practitioner", OPERATOR, FhirJson.operator(OPERATOR));
        LocalDate birth = T0.minusYears(60);
        putEntry(entries, "Patient", P1, FhirJson.patient(P1, "female", birth, A, null));
        putEntry(entries, "Patient", P2, FhirJson.patient(P2, "female", birth, B, null));
        putEntry(entries, "Device", D1, FhirJson.device(D1, "Impella CP", P1, A));
        putEntry(entries, "Device", D2, FhirJson.device(D2, "Impella CP", P2, B));
        putEntry(entries, "Consent", CONSENT_2, FhirJson.consent(CONSENT_2, P2, B, T0, I2));
        putEntry(
                entries, "Condition", BLEEDING_2, FhirJson.complication(BLEEDING_2, P2, BLEEDING, T0.plusDays(2), "2"));
        putEntry(
                entries,
                "Procedure",
                I2,
                FhirJson.insertion(I2, P2, B, OPERATOR, D2, T0, ACCESS, STEMI, null, List.of()));
        putEntry(
                entries,
                "Procedure",
                I1,
                FhirJson.insertion(I1, P1, B, OPERATOR, D1, T0, ACCESS, STEMI, CONSENT_2, List.of(BLEEDING_2)));
        putEntry(
                entries,
                "Procedure",
                I1_FOREIGN_PUMP,
                FhirJson.insertion(
                        I1_FOREIGN_PUMP, P1, A, OPERATOR, D2, T0.plusMonths(1), ACCESS, STEMI, null, List.of()));

        // A's records of its own patient P1, all pointing at B's insertion I2
        putEntry(
                entries,
                "Observation",
                RUN + "-dead-1",
                FhirJson.vitalStatus(RUN + "-dead-1", P1, I2, A, T0.plusDays(20), "30d", false));
        putEntry(
                entries,
                "Observation",
                RUN + "-support-1",
                FhirJson.supportOutcome(RUN + "-support-1", P1, I2, A, T0.plusDays(3), "death-on-support"));
        putEntry(
                entries,
                "Observation",
                RUN + "-qol-1",
                FhirJson.qualityOfLife(
                        RUN + "-qol-1",
                        P1,
                        I2,
                        A,
                        T0.plusDays(180),
                        "180d",
                        "736535009",
                        "EuroQol visual analogue score",
                        "40"));
        putEntry(
                entries,
                "Procedure",
                RUN + "-removal-1",
                FhirJson.removal(RUN + "-removal-1", P1, I2, A, OPERATOR, D1, T0.plusDays(4), "myocardial-recovery"));
        putEntry(entries, "Consent", RUN + "-consent-1", FhirJson.consent(RUN + "-consent-1", P1, A, T0, I2));

        Response response = fhir().body(TransactionBundle.of(entries)).post("/");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
    }

    @Test
    void registryCaseOfB_containsNoneOfP1sRecordsThatPointAtIt() {
        String json = fhir().get("/Procedure/" + I2 + "/$registry-case")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<String> entries = BundleKeys.of(JsonPath.from(json));

        assertThat(entries)
                .contains(
                        "Patient/" + P2,
                        "Organization/" + B,
                        "Device/" + D2,
                        "Procedure/" + I2,
                        "Consent/" + CONSENT_2,
                        "Condition/" + BLEEDING_2);
        assertThat(entries).doesNotContainAnyElementsOf(P1_ABOUT_I2);
        assertThat(json).doesNotContain("Patient/" + P1);
    }

    @Test
    void registryCaseOfA_takesNeitherP2sComplicationNorConsent_andItsCentreIsThePatients() {
        String json = fhir().get("/Procedure/" + I1 + "/$registry-case")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<String> entries = BundleKeys.of(JsonPath.from(json));

        assertThat(entries).contains("Patient/" + P1, "Device/" + D1, "Organization/" + A);
        // performer.onBehalfOf names B, but the case belongs to the patient's centre
        assertThat(entries)
                .doesNotContain("Organization/" + B, "Condition/" + BLEEDING_2, "Consent/" + CONSENT_2, "Device/" + D2);
        assertThat(json).doesNotContain("Patient/" + P2);
    }

    @Test
    void insertionNamingAnotherPatientsPump_doesNotBringThatPumpIntoTheCase() {
        Response response = fhir().get("/Procedure/" + I1_FOREIGN_PUMP + "/$registry-case");

        // the pump is mandatory in a case: without a pump of its own patient there is no case
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(422);
        assertThat(response.jsonPath().getString("issue[0].diagnostics")).startsWith("MCS-0805");
        assertThat(response.asString()).doesNotContain("\"resourceType\":\"Device\"");
    }

    @Test
    void auditOfB_countsNoDeathNorSupportEndFromP1sRecords() {
        JsonPath audit = audit("Organization/" + B);

        assertThat(count(audit, "mcs-audit-insertions", "insertions", "initial-population"))
                .isEqualTo(1);
        assertThat(count(audit, "mcs-audit-survival", "survival-30d", "deaths")).isZero();
        assertThat(count(audit, "mcs-audit-survival", "survival-1y", "deaths")).isZero();
        assertThat(count(audit, "mcs-audit-support-outcome", "support-end-not-recorded", "numerator"))
                .isEqualTo(1);
        // P2's complication stays P2's although P1's insertion lists it in complicationDetail
        assertThat(count(audit, "mcs-audit-complications", "complication-bleeding-short-term", "numerator"))
                .isEqualTo(1);
    }

    @Test
    void auditOfA_takesNeitherP2sConsentNorComplication_andCountsByThePatientsCentre() {
        JsonPath audit = audit("Organization/" + A);

        // I1 names B in performer.onBehalfOf, but its patient is A's
        assertThat(count(audit, "mcs-audit-insertions", "insertions", "initial-population"))
                .isEqualTo(1);
        assertThat(count(audit, "mcs-audit-completeness", "completeness-consent", "numerator"))
                .isZero();
        assertThat(count(audit, "mcs-audit-complications", "complication-bleeding-short-term", "numerator"))
                .isZero();
    }

    @Test
    void auditCentreStratum_isThePatientsManagingOrganization() {
        JsonPath audit = audit(null);
        String insertions = "entry.resource.find { it.measure.endsWith('/mcs-audit-insertions') }"
                + ".group.find { it.code.coding[0].code == 'insertions' }"
                + ".stratifier.find { it.code[0].coding[0].code == 'centre' }.stratum";

        assertThat(audit.getInt(insertions + ".find { it.value.text == 'Organization/" + A + "' }"
                        + ".population.find { it.code.coding[0].code == 'initial-population' }.count"))
                .isEqualTo(1);
        assertThat(audit.getInt(insertions + ".find { it.value.text == 'Organization/" + B + "' }"
                        + ".population.find { it.code.coding[0].code == 'initial-population' }.count"))
                .isEqualTo(1);
    }

    @Test
    void worklist_isNeitherSatisfiedByForeignRecordsNorOwnedByOnBehalfOf() {
        refresh("Procedure/" + I2);
        refresh("Procedure/" + I1);

        // P1's "dead" vital status and removal do not answer B's follow-up and end of support
        assertThat(taskStatus(I2, "overdue-follow-up-30d")).isEqualTo("requested");
        assertThat(taskStatus(I2, "support-not-ended")).isEqualTo("requested");
        // I1's consent extension names P2's Consent: I1 still has no consent, and the Task is A's
        assertThat(taskStatus(I1, "missing-consent")).isEqualTo("requested");
        assertThat(task(I1, "missing-consent").getString("owner.reference")).isEqualTo("Organization/" + A);
    }

    // --- helpers

    private static JsonPath audit(String centre) {
        var request = fhir().queryParam("periodStart", T0.toString())
                .queryParam("periodEnd", T0.toString())
                .queryParam("referenceDate", REFERENCE.toString());
        if (centre != null) {
            request = request.queryParam("centre", centre);
        }
        return request.get("/Measure/$audit").then().statusCode(200).extract().jsonPath();
    }

    private static int count(JsonPath audit, String measure, String group, String population) {
        return audit.getInt("entry.resource.find { it.measure.endsWith('/" + measure + "') }"
                + ".group.find { it.code.coding[0].code == '" + group + "' }"
                + ".population.find { it.code.coding[0].code == '" + population + "' }.count");
    }

    private static void refresh(String insertion) {
        String body = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"insertion\",\"valueReference\":"
                + "{\"reference\":\"" + insertion + "\"}}]}";
        Response response = fhir().body(body).post("/Task/$worklist-refresh");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
    }

    private static JsonPath task(String insertionId, String item) {
        Response response = fhir().get("/Task/wl-" + insertionId + "-" + item);
        assertThat(response.statusCode()).as(item + " Task of " + insertionId).isEqualTo(200);
        return response.jsonPath();
    }

    private static String taskStatus(String insertionId, String item) {
        return task(insertionId, item).getString("status");
    }
}
