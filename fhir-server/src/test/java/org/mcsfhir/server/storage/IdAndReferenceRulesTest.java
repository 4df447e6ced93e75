package org.mcsfhir.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

class IdAndReferenceRulesTest {

    private final IdAndReferenceRules rules = new IdAndReferenceRules();

    @Test
    void hapisRefusalOfAnAllDigitClientId_isExplained() {
        BaseServerResponseException explained = rules.explain(new InvalidRequestException("HAPI-0960: Can not create "
                + "resource with ID[123], no resource with this ID exists and clients may only assign IDs which contain at "
                + "least one non-numeric character"));

        assertThat(explained.getStatusCode()).isEqualTo(400);
        assertThat(((OperationOutcome) explained.getOperationOutcome())
                        .getIssueFirstRep()
                        .getDiagnostics())
                .startsWith("MCS-0427")
                .contains("identifier")
                .doesNotContain("HAPI");
    }

    @Test
    void hapisRefusalOfAnExternalReference_isExplained() {
        BaseServerResponseException explained =
                rules.explain(new InvalidRequestException("HAPI-0507: Resource contains "
                        + "external reference to URL \"http://other.example/fhir/Patient/1\" but this server is not configured "
                        + "to allow external references"));

        assertThat(explained.getStatusCode()).isEqualTo(400);
        assertThat(((OperationOutcome) explained.getOperationOutcome())
                        .getIssueFirstRep()
                        .getDiagnostics())
                .startsWith("MCS-0428")
                .doesNotContain("configured");
    }

    @Test
    void otherErrors_areLeftToTheGenericCleanUp() {
        assertThat(rules.explain(new ResourceNotFoundException("HAPI-2001: Resource Patient/x is not known")))
                .isNull();
        assertThat(rules.explain(new IllegalStateException("HAPI-0960 in a server fault")))
                .isNull();
    }
}
