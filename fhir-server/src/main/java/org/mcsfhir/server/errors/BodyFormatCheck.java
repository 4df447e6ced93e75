package org.mcsfhir.server.errors;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;

/**
 * This server speaks FHIR JSON and XML. HAPI would also parse a Turtle (RDF) body and answer in Turtle, a format the
 * validation, security checks and error path here are not built for, so such a body is refused with 415.
 */
@Interceptor
public class BodyFormatCheck {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void check(RequestDetails request) {
        String contentType = request.getHeader("Content-Type");
        if (contentType != null && EncodingEnum.forContentType(contentType) == EncodingEnum.RDF) {
            UnclassifiedServerFailureException refused = new UnclassifiedServerFailureException(
                    415,
                    "MCS-0415: request bodies must be FHIR JSON (application/fhir+json) or XML (application/fhir+xml)");
            refused.setOperationOutcome(OperationOutcomes.error("not-supported", refused.getMessage()));
            throw refused;
        }
    }
}
