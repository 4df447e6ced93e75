package org.mcsfhir.server.storage;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PatchBodiesTest {

    private final PatchBodies check = new PatchBodies(FhirContext.forR4Cached());

    @Test
    void anEmptyBody_isRefused() {
        assertRefused("application/json-patch+json", "", "MCS-0424");
        assertRefused("application/json-patch+json", "  \n", "MCS-0424");
        assertRefused("application/fhir+json", "", "MCS-0424");
    }

    @Test
    void aJsonPatchThatIsNotAnArray_isRefused() {
        assertRefused("application/json-patch+json", "{}", "MCS-0425");
        assertRefused("application/json-patch+json", "\"replace\"", "MCS-0425");
    }

    @Test
    void anEmptyJsonPatchArray_isAValidPatchThatChangesNothing() {
        assertThatCode(() -> check.check(patch("application/json-patch+json", "[]")))
                .doesNotThrowAnyException();
    }

    @Test
    void aFhirPathPatchWithoutOperations_isRefused() {
        assertRefused("application/fhir+json", "{\"resourceType\":\"Parameters\"}", "MCS-0426");
        assertRefused(
                "application/fhir+json; charset=UTF-8",
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"other\"}]}",
                "MCS-0426");
        assertRefused("application/fhir+xml", "<Parameters xmlns=\"http://hl7.org/fhir\"/>", "MCS-0426");
        assertRefused("application/fhir+json", "{\"resourceType\":\"Patient\"}", "MCS-0426");
    }

    @Test
    void wellFormedPatches_andOtherOperations_pass() {
        assertThatCode(() -> {
                    check.check(patch(
                            "application/json-patch+json",
                            "[{\"op\":\"replace\",\"path\":\"/active\",\"value\":false}]"));
                    check.check(patch(
                            "application/fhir+json",
                            "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":"
                                    + "\"operation\",\"part\":[{\"name\":\"type\",\"valueCode\":\"delete\"}]}]}"));
                    SystemRequestDetails update = patch("application/fhir+json", "");
                    update.setRestOperationType(RestOperationTypeEnum.UPDATE);
                    check.check(update);
                })
                .doesNotThrowAnyException();
    }

    private void assertRefused(String contentType, String body, String code) {
        assertThatThrownBy(() -> check.check(patch(contentType, body)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(code);
    }

    private static SystemRequestDetails patch(String contentType, String body) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setRestOperationType(RestOperationTypeEnum.PATCH);
        request.addHeader("Content-Type", contentType);
        request.setRequestContents(body.getBytes(StandardCharsets.UTF_8));
        return request;
    }
}
