package org.mcsfhir.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorCodesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "HAPI-0389: Failed to call access method: org.springframework.dao.InvalidDataAccessApiUsageException: x | 400 | MCS-0400: bad request",
                "java.lang.NumberFormatException: For input string: \"abc\"                                    | 400 | MCS-0400: bad request",
                "Scale or fractional seconds precision (\"1000015\") must be between \"0\" and \"100000\" [90151-232] | 400 | MCS-0400: bad request",
                "could not execute SQL statement                                                               | 422 | MCS-0444: unprocessable entity",
                "Error: select id from hfj_resource where x                                                    | 409 | MCS-0441: conflict",
                "HAPI-2001: Resource Patient/1 is not known                                                    | 404 | MCS-0440: Resource Patient/1 is not known",
                "HAPI-1940: Invalid date/time/quantity format: \"garbage\"                                     | 400 | MCS-0400: Invalid date/time/quantity format: \"garbage\"",
                "MCS-0430: Observation.valueString cannot be stored and read back                              | 400 | MCS-0430: Observation.valueString cannot be stored and read back",
                "MCS-0722: start must be an instant, got NotAnException                                        | 400 | MCS-0722: start must be an instant, got NotAnException",
                "Unknown search parameter \"x\" for resource type \"Patient\". Valid: [http://hl7.org/fhir/SearchParameter/x] | 400 | MCS-0400: Unknown search parameter \"x\" for resource type \"Patient\". Valid: [http://hl7.org/fhir/SearchParameter/x]",
                "Observation.value.ofType(Quantity) is wrong                                                   | 400 | MCS-0400: Observation.value.ofType(Quantity) is wrong",
                "'<empty>'                                                                                     | 405 | MCS-0405: method not allowed",
                "anything                                                                                      | 418 | MCS-0499: anything",
            })
    void clean(String diagnostics, int status, String expected) {
        assertThat(ErrorCodes.clean(status, diagnostics.equals("<empty>") ? "" : diagnostics))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"500", "502", "504"})
    void everyOther5xx_isTheInternalError(int status) {
        assertThat(ErrorCodes.generic(status)).isEqualTo("MCS-0500: internal error");
    }
}
