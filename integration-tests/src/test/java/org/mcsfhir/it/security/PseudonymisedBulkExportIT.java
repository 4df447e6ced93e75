package org.mcsfhir.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.it.security.SecureServer.fhir;
import static org.mcsfhir.it.security.SecureServer.token;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A registry without the identifiable-data grant gets Bulk Data exports too, pseudonymised with the same pseudonyms
 * as {@code $registry-case}; one with the grant gets the identifiable data. Real tokens, real export jobs.
 */
class PseudonymisedBulkExportIT {

    private static final String PSEUDONYM_SYSTEM = "https://mcs-fhir.org/fhir/sid/registry-pseudonym";
    private static final String REGISTRY = token("it-registry-pseudo", TwoCentres.registryClaims(false));
    private static final String REGISTRY_IDENTIFIABLE = token("it-registry-ident", TwoCentres.registryClaims(true));

    private static TwoCentres data;

    @BeforeAll
    static void seed() {
        data = TwoCentres.get();
    }

    @Test
    void withoutTheGrant_theExportHoldsNoIdentifyingValueOfAnyCentre_atEveryLevel() throws InterruptedException {
        for (String kickOff : List.of(
                "/$export?_type=Patient,Procedure,Observation,Device,Practitioner,Consent,Condition,Task",
                "/Patient/$export?_type=Patient,Procedure,Observation,Device",
                "/Group/mcs-centre-" + data.a.organization() + "/$export?_type=Patient,Procedure,Observation")) {
            String all = String.join("\n", export(REGISTRY, kickOff));

            assertThat(all)
                    .as(kickOff)
                    .contains("\"resourceType\":\"Patient\"", PSEUDONYM_SYSTEM, "mcs-age-at-insertion");
            for (TwoCentres.Centre centre : List.of(data.a, data.b)) {
                for (String marker : centre.markers()) {
                    assertThat(all).as(kickOff + " must not contain " + marker).doesNotContain(marker);
                }
            }
            assertThat(all).as(kickOff).doesNotContain("1967-09-14");
            // only the types a registry case is made of: the worklist Tasks are left out
            assertThat(all).as(kickOff).doesNotContain("\"resourceType\":\"Task\"");
        }
    }

    @Test
    void withoutTheGrant_anExportOfNothingExportableIsRefused() {
        Response refused = fhir(REGISTRY).header("Prefer", "respond-async").get("/$export?_type=Task,AuditEvent");
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(400);
        assertThat(refused.asString()).contains("OperationOutcome", "MCS-0831");
    }

    @Test
    void withoutTheGrant_theExportUsesTheSamePseudonymsAsTheRegistryCase() throws InterruptedException {
        Response registryCase = fhir(REGISTRY).get("/Procedure/" + data.a.insertion() + "/$registry-case");
        assertThat(registryCase.statusCode()).as(registryCase.asString()).isEqualTo(200);
        String patientId =
                registryCase.jsonPath().getString("entry.find { it.resource.resourceType == 'Patient' }.resource.id");
        // the case Bundle's identifier is the insertion's pseudonymous id
        String insertionId = registryCase.jsonPath().getString("identifier.value");

        String all = String.join("\n", export(REGISTRY, "/$export?_type=Patient,Procedure"));

        assertThat(patientId).hasSize(32);
        assertThat(insertionId).hasSize(32);
        assertThat(all)
                .contains("\"id\":\"" + patientId + "\"", "Patient/" + patientId, "\"id\":\"" + insertionId + "\"");
    }

    @Test
    void withTheGrant_theExportIsIdentifiable() throws InterruptedException {
        String all = String.join("\n", export(REGISTRY_IDENTIFIABLE, "/$export?_type=Patient"));

        assertThat(all)
                .contains(data.a.family(), data.b.family(), data.a.patientIdentifier())
                .doesNotContain(PSEUDONYM_SYSTEM);
    }

    @Test
    void withoutTheGrant_aFilterOnThePatientsOwnDataIsRefused() {
        for (String filter : List.of(
                "_typeFilter=Patient%3Ffamily%3D" + data.a.family(),
                "_typeFilter=Observation%3Fsubject.name%3DSmith",
                "_typeFilter=Observation%3Fsubject%252Ename%3DSmith",
                "_typePostFetchFilterUrl=Patient%3Ffamily%3D" + data.a.family())) {
            Response refused = fhir(REGISTRY)
                    .header("Prefer", "respond-async")
                    .urlEncodingEnabled(false)
                    .get("/$export?_type=Patient,Observation&" + filter);
            assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(400);
            assertThat(refused.asString()).contains("OperationOutcome", "MCS-0830");
        }
    }

    /** Kicks off, polls until the manifest is there, downloads every file. */
    private static List<String> export(String token, String kickOff) throws InterruptedException {
        Response started = fhir(token).header("Prefer", "respond-async").get(kickOff);
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        String status = started.header("Content-Location");
        Response manifest = fhir(token).get(status);
        for (int i = 0; i < 240 && manifest.statusCode() == 202; i++) {
            Thread.sleep(500);
            manifest = fhir(token).get(status);
        }
        assertThat(manifest.statusCode()).as(manifest.asString()).isEqualTo(200);
        List<String> files = new ArrayList<>();
        for (String file : manifest.jsonPath().getList("output.url", String.class)) {
            Response download = fhir(token).accept("application/fhir+ndjson").get(file);
            assertThat(download.statusCode()).as(file).isEqualTo(200);
            files.add(download.asString());
        }
        assertThat(files).isNotEmpty();
        return files;
    }
}
