package org.mcsfhir.server.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NarrativeCheckTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final NarrativeCheck check = new NarrativeCheck(FHIR);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<p>x<script>alert(1)</script></p>",
                "<p><SCRIPT src=\"https://evil.example/x.js\"></SCRIPT></p>",
                "<p><img src=\"x.png\" onerror=\"alert(1)\"/></p>",
                "<p><a href=\" javascript:alert(1)\">x</a></p>",
                "<p><iframe src=\"https://evil.example\"></iframe></p>",
                "<form action=\"https://evil.example\"><input name=\"x\"/></form>",
            })
    void activeContent_isRefusedNamingTheElement(String inner) {
        Patient patient = patient(inner);

        InvalidRequestException refused =
                catchThrowableOfType(() -> check.check(patient), InvalidRequestException.class);

        assertThat(refused).isNotNull();
        OperationOutcome outcome = (OperationOutcome) refused.getOperationOutcome();
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).startsWith("MCS-0455: the narrative contains ");
        assertThat(outcome.getIssueFirstRep().getExpression().get(0).getValue()).isEqualTo("Patient.text.div");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<p>Implanted <b>Impella CP</b> on <span style=\"color:red\">2026-03-10</span></p>",
                "<table><tr><td><a href=\"https://example.org/x\">link</a></td></tr></table><img src=\"#img1\" alt=\"\"/>",
            })
    void ordinaryNarratives_pass(String inner) {
        assertThatCode(() -> check.check(patient(inner))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"<p><script>alert(1)</script></p>"})
    void containedResources_areCheckedToo(String inner) {
        Patient patient = new Patient();
        Observation contained = new Observation();
        contained.setId("o1");
        contained
                .getText()
                .setStatus(Narrative.NarrativeStatus.GENERATED)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + inner + "</div>");
        patient.addContained(contained);

        assertThat(catchThrowableOfType(() -> check.check(patient), InvalidRequestException.class))
                .isNotNull();
    }

    private static Patient patient(String inner) {
        String json =
                "{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">"
                        + inner.replace("\"", "\\\"") + "</div>\"}}";
        return FHIR.newJsonParser().parseResource(Patient.class, json);
    }
}
