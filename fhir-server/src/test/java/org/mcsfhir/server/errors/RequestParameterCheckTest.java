package org.mcsfhir.server.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.rest.server.util.FhirContextSearchParamRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestParameterCheckTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final RequestParameterCheck check = new RequestParameterCheck(new FhirContextSearchParamRegistry(FHIR));

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiterString = " ; ",
            value = {
                "_offset      ; -1            ; MCS-0451",
                "_offset      ; 2147483647    ; MCS-0451",
                "_offset      ; abc           ; MCS-0451",
                "_count       ; -5            ; MCS-0451",
                "name         ; 'a<NUL>b'    ; MCS-0450",
                "name         ; 'a\u0001b'    ; MCS-0450",
                "name         ; 'a\ud800b'    ; MCS-0450",
                "value-quantity ; ap1e-999999||mg ; MCS-0453",
                "value-quantity ; 0e-999999       ; MCS-0453",
                "value-quantity ; gt1e99999999999 ; MCS-0453",
                "value-quantity ; 1e301           ; MCS-0453",
                "value-quantity ; 5.4|http://unitsofmeasure.org|mg,12345678901234567890123456789012345678901 ; MCS-0453",
            })
    void isRefused_namingTheParameter(String name, String value, String code) {
        // a NUL cannot be written into a CSV source (names: HAPI already strips control characters from them)
        name = name.replace("<NUL>", "\u0000");
        value = value.replace("<NUL>", "\u0000");
        String parameter = name;
        String given = value;
        InvalidRequestException refused = catchThrowableOfType(
                () -> check.check(search("Observation", Map.of(parameter, new String[] {given}))),
                InvalidRequestException.class);

        assertThat(refused)
                .as(parameter.replace("\u0000", "NUL") + "=" + given.replace("\u0000", "NUL"))
                .isNotNull();
        OperationOutcome outcome = (OperationOutcome) refused.getOperationOutcome();
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).startsWith(code + ": ");
        assertThat(outcome.getIssueFirstRep().getExpression().get(0).getValue()).doesNotContain("\u0000", "\ud800");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiterString = " ; ",
            value = {
                "_offset        ; 0",
                "_offset        ; 1000000000",
                "_count         ; 0",
                "name           ; 'M\u00fcller \ud83e\udec0'",
                "value-quantity ; ap5.4||mg",
                "value-quantity ; 1.23456789e-300",
                "value-quantity ; 0.0",
                "value-quantity ; not-a-number",
                "code           ; 1e-999999",
            })
    void isLetThrough(String name, String value) {
        assertThatCode(() -> check.check(search("Observation", Map.of(name, new String[] {value}))))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource({"count, abc", "offset, -1"})
    void expandPaging_mustBeWholeNumbers(String name, String value) {
        ServletRequestDetails request = search("ValueSet", Map.of(name, new String[] {value}));
        request.setRestOperationType(RestOperationTypeEnum.EXTENDED_OPERATION_TYPE);
        request.setOperation("$expand");

        assertThat(catchThrowableOfType(() -> check.check(request), InvalidRequestException.class))
                .hasMessageStartingWith("MCS-0451: " + name);
    }

    @ParameterizedTest
    @CsvSource({"$export-poll-status"})
    void exportPoll_needsAJobId(String operation) {
        ServletRequestDetails request = search(null, Map.of());
        request.setRestOperationType(RestOperationTypeEnum.EXTENDED_OPERATION_SERVER);
        request.setOperation(operation);

        assertThat(catchThrowableOfType(() -> check.check(request), InvalidRequestException.class))
                .hasMessageStartingWith("MCS-0452: _jobId is required");
    }

    private static ServletRequestDetails search(String type, Map<String, String[]> parameters) {
        ServletRequestDetails request = new ServletRequestDetails();
        request.setResourceName(type);
        request.setRestOperationType(RestOperationTypeEnum.SEARCH_TYPE);
        request.setParameters(new LinkedHashMap<>(parameters));
        return request;
    }
}
