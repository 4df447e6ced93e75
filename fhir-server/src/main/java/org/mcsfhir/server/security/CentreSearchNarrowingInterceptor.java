package org.mcsfhir.server.security;

import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import java.util.Collection;

/**
 * Narrows every search (and every conditional create/update/delete URL) of a centre-bound client to its centre's
 * patients, so results, {@code _summary=count} totals and conditional matches never reach another centre's data.
 * {@link CentreAuthorizationInterceptor} still checks every resource that goes out; this makes the answer right
 * instead of a 403.
 */
@Interceptor
class CentreSearchNarrowingInterceptor extends SearchNarrowingInterceptor {

    /**
     * A patient id that cannot exist: HAPI assigns numeric ids from 1 and refuses purely numeric client-assigned
     * ones. A centre without patients is narrowed to it, which matches nothing (an empty list would mean "no
     * narrowing").
     */
    static final String NO_PATIENT = "Patient/0";

    private final CentrePatients centrePatients;

    CentreSearchNarrowingInterceptor(CentrePatients centrePatients) {
        this.centrePatients = centrePatients;
        setNarrowConditionalUrls(true);
    }

    @Override
    protected AuthorizedList buildAuthorizedList(RequestDetails request) {
        ClientIdentity client = ClientIdentity.of(request);
        if (client.open() || !client.centreBound()) {
            return null;
        }
        Collection<String> patients = centrePatients.of(request, client.centre().orElseThrow());
        AuthorizedList allowed = new AuthorizedList();
        if (patients.isEmpty()) {
            return allowed.addCompartment(NO_PATIENT);
        }
        return allowed.addCompartments(patients.stream().map(id -> "Patient/" + id).toArray(String[]::new));
    }
}
