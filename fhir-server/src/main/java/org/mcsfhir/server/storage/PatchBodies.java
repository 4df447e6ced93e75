package org.mcsfhir.server.storage;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Parameters;
import org.mcsfhir.server.errors.ClientErrors;

/**
 * The body of a PATCH must say what to change, checked before HAPI reads it (an empty body made HAPI fail with a
 * NullPointerException, a 500). A JSON Patch ({@code application/json-patch+json}, RFC 6902) must be an array of
 * operations; an empty array is a valid patch that changes nothing, and HAPI answers it with the current version and
 * no new one, so it is let through. A FHIRPath Patch (a {@code Parameters} in FHIR JSON or XML) must carry at least one
 * {@code operation}: FHIR defines it as a list of operations, and a Parameters without one is most likely the wrong
 * body. Anything else malformed in the operations themselves is HAPI's to refuse (400).
 */
@Interceptor
class PatchBodies {

    static final String EMPTY = "MCS-0424: a PATCH needs a body: a JSON Patch array (application/json-patch+json) "
            + "or a FHIRPath Patch Parameters (application/fhir+json or +xml)";
    static final String NOT_AN_ARRAY = "MCS-0425: a JSON Patch body must be a JSON array of operations "
            + "(RFC 6902), e.g. [{\"op\":\"replace\",\"path\":\"/active\",\"value\":false}]";
    static final String NO_OPERATIONS = "MCS-0426: a FHIRPath Patch body must be a Parameters resource with at least "
            + "one parameter named \"operation\"";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FhirContext fhirContext;

    PatchBodies(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void check(RequestDetails request) {
        if (request.getRestOperationType() != RestOperationTypeEnum.PATCH) {
            return;
        }
        byte[] contents = request.loadRequestContents();
        String body = contents == null ? "" : new String(contents, StandardCharsets.UTF_8);
        if (body.isBlank()) {
            throw ClientErrors.invalid(EMPTY, null);
        }
        String contentType = request.getHeader("Content-Type");
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json-patch")) {
            checkJsonPatch(body);
        } else {
            checkFhirPathPatch(body, contentType);
        }
    }

    private static void checkJsonPatch(String body) {
        JsonNode patch;
        try {
            patch = JSON.readTree(body);
        } catch (JsonProcessingException unreadable) {
            return; // not JSON at all: HAPI's parser refuses it (400)
        }
        if (patch == null || !patch.isArray()) {
            throw ClientErrors.invalid(NOT_AN_ARRAY, null);
        }
    }

    private void checkFhirPathPatch(String body, String contentType) {
        EncodingEnum encoding =
                contentType == null ? null : EncodingEnum.forContentType(contentType.split(";")[0].trim());
        if (encoding != EncodingEnum.JSON && encoding != EncodingEnum.XML) {
            return; // XML Patch or an unknown type: HAPI decides
        }
        IBaseResource parsed;
        try {
            parsed = encoding.newParser(fhirContext).parseResource(body);
        } catch (RuntimeException unreadable) {
            return; // HAPI's parser refuses it (400)
        }
        if (!(parsed instanceof Parameters parameters)
                || parameters.getParameter().stream().noneMatch(p -> "operation".equals(p.getName()))) {
            throw ClientErrors.invalid(NO_OPERATIONS, null);
        }
    }
}
