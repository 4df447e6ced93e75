package org.mcsfhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * The one rule for a record's centre, on resources in memory: {@code Patient/pa} is managed by centre A,
 * {@code Patient/pb} by centre B (a stub stands in for the stored patients).
 */
class CentreDirectoryTest {

    private int patientReads;

    private final CentreDirectory directory = new CentreDirectory(FhirContext.forR4Cached(), null) {
        @Override
        public Optional<String> centreOfPatient(String patientId) {
            patientReads++;
            return Optional.of(patientId.equals("pa") ? "A" : "B");
        }
    };

    @Test
    void aDeviceOwnedByOneCentreButImplantedInAnothersPatient_belongsToNeither() {
        Device crossed = device("A", "pb");
        assertThat(directory.belongsTo(crossed, "A")).isFalse();
        assertThat(directory.belongsTo(crossed, "B")).isFalse();
    }

    @Test
    void aDeviceBelongsToTheCentreNamedByEachOfOwnerAndPatient() {
        assertThat(directory.belongsTo(device("A", "pa"), "A")).isTrue();
        assertThat(directory.belongsTo(device("A", null), "A")).isTrue();
        assertThat(directory.belongsTo(device(null, "pa"), "A")).isTrue();
        assertThat(directory.belongsTo(device(null, null), "A")).isFalse();
    }

    @Test
    void aRecordBelongsToItsPatientsCentre_andEachPatientIsReadOncePerMemo() {
        Map<String, Boolean> memo = new HashMap<>();
        Observation observation = new Observation().setSubject(new Reference("Patient/pa"));
        assertThat(directory.belongsTo(observation, "A", memo)).isTrue();
        assertThat(directory.belongsTo(device("A", "pa"), "A", memo)).isTrue();
        assertThat(directory.belongsTo(observation, "B", new HashMap<>())).isFalse();
        assertThat(patientReads).isEqualTo(2);
    }

    private static Device device(String owner, String patient) {
        Device device = new Device();
        if (owner != null) {
            device.setOwner(new Reference("Organization/" + owner));
        }
        if (patient != null) {
            device.setPatient(new Reference("Patient/" + patient));
        }
        return device;
    }
}
