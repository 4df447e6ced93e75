package org.mcsfhir.server.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.Set;

/**
 * The patients of the calling client's centre, looked up once per HTTP request (a transaction's entries share it) and
 * never cached across requests, so a patient created a moment ago is visible to its centre at once on every node.
 */
class CentrePatients {

    private static final String ATTRIBUTE = CentrePatients.class.getName();

    private final CentreDirectory directory;

    CentrePatients(CentreDirectory directory) {
        this.directory = directory;
    }

    @SuppressWarnings("unchecked")
    Collection<String> of(RequestDetails request, String centre) {
        HttpServletRequest servlet =
                request instanceof ServletRequestDetails details ? details.getServletRequest() : null;
        if (servlet != null && servlet.getAttribute(ATTRIBUTE) instanceof Set<?> cached) {
            return (Set<String>) cached;
        }
        Set<String> ids = directory.patientIdsOf(centre);
        if (servlet != null) {
            servlet.setAttribute(ATTRIBUTE, ids);
        }
        return ids;
    }
}
