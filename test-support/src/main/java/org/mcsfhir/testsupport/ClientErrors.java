package org.mcsfhir.testsupport;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.restassured.response.ValidatableResponse;

/**
 * What every refused client request gets: the status, an error OperationOutcome, and no stack trace. Shared because
 * fhir-server's {@code ClientErrorsContextTest} and the IT's {@code ClientErrorsIT} check the same answer shape.
 */
public final class ClientErrors {

    private ClientErrors() {}

    /** Asserts the answer is {@code status} with an error OperationOutcome and no stack trace; for further checks. */
    public static ValidatableResponse assertClientError(ValidatableResponse response, int status) {
        return response.statusCode(status)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].severity", equalTo("error"))
                .body(not(containsString("\tat ")))
                .body(not(containsString("Exception:")));
    }
}
