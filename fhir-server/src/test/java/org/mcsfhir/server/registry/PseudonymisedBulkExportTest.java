package org.mcsfhir.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/** The export hooks alone: which jobs are marked, what a marked job writes. No database (no Patient lookups). */
class PseudonymisedBulkExportTest {

    private static final Pseudonymiser PSEUDONYMISER = new Pseudonymiser(
            "a-test-secret-of-at-least-32-characters".getBytes(StandardCharsets.UTF_8), FhirContext.forR4Cached());

    private static PseudonymisedBulkExport export(boolean mustPseudonymise) {
        return new PseudonymisedBulkExport(request -> mustPseudonymise, PSEUDONYMISER, null);
    }

    private static BulkExportJobParameters parameters(String... types) {
        BulkExportJobParameters parameters = new BulkExportJobParameters();
        parameters.setResourceTypes(List.of(types));
        return parameters;
    }

    private static Observation observation() {
        Observation observation = new Observation();
        observation.setId("Observation/obs-1");
        observation.setSubject(new Reference("Patient/pat-1").setDisplay("Jane Example"));
        observation.addNote(new Annotation().setText("spoke to her husband John"));
        return observation;
    }

    @Test
    void aCallerWhoMustBePseudonymised_hasItsJobMarkedAndNarrowedToCaseTypes() {
        BulkExportJobParameters parameters = parameters("Patient", "Observation", "AuditEvent", "Task");

        export(true).markPseudonymised(parameters, new SystemRequestDetails());

        assertThat(PseudonymisedBulkExport.isMarked(parameters)).isTrue();
        assertThat(parameters.getResourceTypes()).containsExactlyInAnyOrder("Patient", "Observation");
    }

    @Test
    void aCallerWithIdentifiableAccess_hasItsJobLeftAsItIs() {
        BulkExportJobParameters parameters = parameters("Patient", "AuditEvent");

        export(false).markPseudonymised(parameters, new SystemRequestDetails());

        assertThat(PseudonymisedBulkExport.isMarked(parameters)).isFalse();
        assertThat(parameters.getResourceTypes()).containsExactlyInAnyOrder("Patient", "AuditEvent");
    }

    @Test
    void aPseudonymisedJob_refusesFiltersOnThePatientsOwnDataWith400() {
        for (String filter : List.of(
                "Patient?family=Example",
                "Observation?subject.name=Example",
                "Observation?_has:Condition:subject:code=x",
                "Observation?subject%2Ename=Example",
                "Observation?subject%252Ename=Example",
                "Observation?_ha%2573:Condition:subject:code=x")) {
            BulkExportJobParameters parameters = parameters("Patient", "Observation");
            parameters.setFilters(List.of(filter));

            InvalidRequestException refused = catchThrowableOfType(
                    () -> export(true).markPseudonymised(parameters, new SystemRequestDetails()),
                    InvalidRequestException.class);

            assertThat(refused).as(filter).isNotNull();
            assertThat(refused.getMessage()).contains("MCS-0830");
        }
    }

    @Test
    void aPseudonymisedJob_refusesPostFetchFiltersOnThePatientsOwnData() {
        BulkExportJobParameters parameters = parameters("Patient");
        parameters.setPostFetchFilterUrls(List.of("Patient?family=Example"));

        InvalidRequestException refused = catchThrowableOfType(
                () -> export(true).markPseudonymised(parameters, new SystemRequestDetails()),
                InvalidRequestException.class);

        assertThat(refused.getMessage()).contains("MCS-0830", "_typePostFetchFilterUrl");
    }

    @Test
    void aPseudonymisedJob_askingForNoExportableType_isRefusedWith400() {
        InvalidRequestException refused = catchThrowableOfType(
                () -> export(true).markPseudonymised(parameters("AuditEvent", "Task"), new SystemRequestDetails()),
                InvalidRequestException.class);

        assertThat(refused.getMessage()).contains("MCS-0831");
    }

    @Test
    void aPseudonymisedJob_acceptsAFilterOnClinicalCodes() {
        BulkExportJobParameters parameters = parameters("Observation");
        parameters.setFilters(List.of("Observation?code=http://loinc.org|32693-4"));

        export(true).markPseudonymised(parameters, new SystemRequestDetails());

        assertThat(PseudonymisedBulkExport.isMarked(parameters)).isTrue();
    }

    @Test
    void aMarkedJob_writesResourcesPseudonymisedAndLeavesOtherTypesOut() {
        BulkExportJobParameters parameters = parameters("Observation", "Task");
        parameters.setUserData(PseudonymisedBulkExport.JOB_MARK, true);
        Observation observation = observation();

        assertThat(export(true).pseudonymise(parameters, observation)).isTrue();
        assertThat(export(true).pseudonymise(parameters, new Task())).isFalse();

        assertThat(observation.getIdElement().getIdPart()).isEqualTo(PSEUDONYMISER.pseudonymousId("Observation/obs-1"));
        assertThat(observation.getSubject().getReference())
                .isEqualTo("Patient/" + PSEUDONYMISER.pseudonymousId("Patient/pat-1"));
        assertThat(observation.getSubject().getDisplay()).isNull();
        assertThat(observation.getNote()).isEmpty();
    }

    @Test
    void aMarkedJob_writesNoFreeTextIdentifierOrForeignExtension_whateverTheHospitalSent() {
        BulkExportJobParameters parameters = parameters("Observation", "Device");
        parameters.setUserData(PseudonymisedBulkExport.JOB_MARK, true);
        Observation observation = observation();
        observation.addIdentifier().setSystem("urn:hospital:lab-order").setValue("LAB-JANE-0042");
        observation
                .getCode()
                .setText("Lactate for Jane Example")
                .addCoding()
                .setSystem("http://loinc.org")
                .setCode("2524-7");
        observation.setValue(new StringType("Jane said she felt dizzy"));
        observation.addExtension(new Extension("urn:hospital:ward-note", new StringType("Bed 4, Jane Example")));
        observation.addContained(
                new Practitioner().addName(new HumanName().setFamily("Nurse")).setId("n1"));
        observation.addPerformer(new Reference("#n1"));
        Device pump = new Device();
        pump.setId("Device/pump-1");
        pump.addIdentifier().setSystem("urn:hospital:asset").setValue("ASSET-778");
        pump.setSerialNumber("SN-12345");

        FhirContext fhir = FhirContext.forR4Cached();
        export(true).pseudonymise(parameters, observation);
        export(true).pseudonymise(parameters, pump);
        String written = fhir.newJsonParser().encodeResourceToString(observation)
                + fhir.newJsonParser().encodeResourceToString(pump);

        assertThat(written)
                .doesNotContain("Jane", "LAB-JANE", "dizzy", "Bed 4", "Nurse", "#n1", "ASSET-778")
                .contains("2524-7", "SN-12345");
    }

    @Test
    void anUnmarkedJob_writesResourcesUnchanged() {
        Observation observation = observation();

        assertThat(export(false).pseudonymise(parameters("Observation"), observation))
                .isTrue();

        assertThat(observation.getIdElement().getIdPart()).isEqualTo("obs-1");
        assertThat(observation.getSubject().getDisplay()).isEqualTo("Jane Example");
    }
}
