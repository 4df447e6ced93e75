package org.mcsfhir.server.security;

import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * A GET as the guards meet it, made by the EHR of centre A with every system scope. Shared by the guards' unit tests,
 * which each set what their guard reads on top of it.
 */
final class GuardRequests {

    private GuardRequests() {}

    static ServletRequestDetails ofEhrOfCentreA(RestOperationTypeEnum operation, String type, String name) {
        MockHttpServletRequest servlet = new MockHttpServletRequest();
        servlet.setAttribute(
                ClientIdentity.REQUEST_ATTRIBUTE,
                new ClientIdentity(
                        "ehr-a",
                        Optional.of(ClientKind.EHR),
                        Optional.of("A"),
                        SmartScopes.parse(List.of("system/*.cruds")),
                        false,
                        false));
        ServletRequestDetails request = new ServletRequestDetails();
        request.setServletRequest(servlet);
        request.setFhirServerBase("http://localhost/fhir");
        request.setRequestType(RequestTypeEnum.GET);
        request.setRestOperationType(operation);
        request.setResourceName(type);
        request.setOperation(name);
        request.setParameters(new HashMap<>());
        return request;
    }
}
