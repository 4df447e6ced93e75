package org.mcsfhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CentreSearchNarrowingInterceptorTest {

    static final List<String> CENTRE = List.of("Patient/7", "Patient/9");

    @Test
    void theNarrowingListIsLeftOutOfTheVerifiedCondition_theClientsOwnParametersStay() {
        assertThat(CentreSearchNarrowingInterceptor.withoutNarrowing(
                        "Patient?identifier=urn:x%7C1&_id=Patient%2F9%2CPatient%2F7", CENTRE))
                .isEqualTo("Patient?identifier=urn:x%7C1");
        assertThat(CentreSearchNarrowingInterceptor.withoutNarrowing("identifier=urn:x|1&_id=7,9", CENTRE))
                .isEqualTo("identifier=urn:x|1");
        assertThat(CentreSearchNarrowingInterceptor.withoutNarrowing(
                        "Observation?subject=Patient/7,Patient/9&identifier=a|b", CENTRE))
                .isEqualTo("Observation?identifier=a|b");
        // a client's own narrower choice is its condition
        assertThat(CentreSearchNarrowingInterceptor.withoutNarrowing("Observation?patient=Patient/7&code=x", CENTRE))
                .isEqualTo("Observation?patient=Patient/7&code=x");
        assertThat(CentreSearchNarrowingInterceptor.withoutNarrowing("Patient?_id=Patient/7,Patient/9", CENTRE))
                .isEqualTo("Patient?_id=Patient/7,Patient/9");
    }
}
