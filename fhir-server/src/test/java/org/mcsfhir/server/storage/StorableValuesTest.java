package org.mcsfhir.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.math.BigDecimal;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;

/** Which values cannot be stored and read back, and that the refusal names the element. */
class StorableValuesTest {

    private final StorableValues check = new StorableValues(FhirContext.forR4Cached());

    @Test
    void decimalsADoubleHoldsWithFewDigits_pass_othersDoNot() {
        for (String ok :
                new String[] {"0", "0e-999999", "3.3", "-1e300", "1e-300", "123456789012345678901234567890.123"}) {
            assertThat(StorableValues.decimalProblem(new BigDecimal(ok))).as(ok).isEmpty();
        }
        for (String bad : new String[] {"1e-999999", "1e999999", "1e301", "9.9e-301", "1" + "0".repeat(40) + ".5"}) {
            assertThat(StorableValues.decimalProblem(new BigDecimal(bad)))
                    .as(bad)
                    .isPresent();
        }
    }

    @Test
    void textWithoutForbiddenCodePoints_passes_otherwiseNot() {
        assertThat(StorableValues.textProblem("Müller\tline\r\nnext 🫀")).isEmpty();
        for (String bad : new String[] {"A\u0001B", "A\u0000B", "\u001f", "A\ud800B", "A\udc00", "x\ud800", "\uffff"}) {
            assertThat(StorableValues.textProblem(bad))
                    .as(bad.codePoints().toString())
                    .isPresent();
        }
    }

    @Test
    void aRefusalNamesTheElement() {
        Observation observation = new Observation();
        observation.setValue(new Quantity().setValueElement(new DecimalType(new BigDecimal("1e-999999"))));
        assertThatThrownBy(() -> check.check(observation))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("MCS-0430")
                .satisfies(e -> assertThat(((OperationOutcome) ((InvalidRequestException) e).getOperationOutcome())
                                .getIssueFirstRep()
                                .getExpression()
                                .get(0)
                                .getValue())
                        .isEqualTo("Observation.valueQuantity.value"));
        Patient patient = new Patient();
        patient.addName().setFamily("A\u0001B");
        assertThatThrownBy(() -> check.check(patient)).hasMessageContaining("control character");
        Patient fine = new Patient();
        fine.addName().setFamily("Müller");
        assertThatCode(() -> check.check(fine)).doesNotThrowAnyException();
    }
}
