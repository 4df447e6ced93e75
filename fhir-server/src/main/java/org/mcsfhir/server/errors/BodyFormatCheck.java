package org.mcsfhir.server.errors;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.RestfulServerUtils.ResponseEncoding;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;

/**
 * This server speaks FHIR JSON and XML. HAPI would also parse a Turtle (RDF) body and answer in Turtle, a format the
 * validation, security checks and error path here are not built for; its RDF library (Jena) is not even in the jar.
 * So a Turtle body is refused with 415, and a request that asks for a Turtle answer (Accept or {@code _format}) with
 * 406, both before anything is read or written: HAPI would otherwise fail only when writing the answer, after the
 * request's work was done.
 */
@Interceptor
public class BodyFormatCheck {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void check(RequestDetails request) {
        String contentType = request.getHeader("Content-Type");
        if (contentType != null && EncodingEnum.forContentType(contentType) == EncodingEnum.RDF) {
            throw refused(
                    415,
                    "MCS-0415: request bodies must be FHIR JSON (application/fhir+json) or XML (application/fhir+xml)");
        }
        ResponseEncoding answer = RestfulServerUtils.determineResponseEncodingNoDefault(request, null);
        if (answer != null && answer.getEncoding() == EncodingEnum.RDF) {
            throw refused(
                    406,
                    "MCS-0406: answers are FHIR JSON (application/fhir+json) or XML (application/fhir+xml);"
                            + " ask for one of them with Accept or _format");
        }
    }

    private static UnclassifiedServerFailureException refused(int status, String message) {
        UnclassifiedServerFailureException refused = new UnclassifiedServerFailureException(status, message);
        refused.setOperationOutcome(OperationOutcomes.error("not-supported", message));
        return refused;
    }
}
