package org.mcsfhir.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;

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

    /**
     * HAPI narrows every GET entry of a batch or transaction as if it were a search, which turns an instance read
     * ({@code Patient/5}, {@code Patient/5/_history/2}, {@code Patient/5/$everything}) into {@code Patient?_id=<all the
     * centre's patients>}: the entry then answered with every patient of the centre. Instance-level entries keep their
     * URL; the read is decided per entry on the resource itself, as a direct read would be.
     */
    @Override
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void hookIncomingRequestPreHandled(
            ServletRequestDetails request, HttpServletRequest servletRequest, HttpServletResponse servletResponse) {
        Map<Bundle.BundleEntryRequestComponent, String> instanceReads = new IdentityHashMap<>();
        if (request.getResource() instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Bundle.BundleEntryRequestComponent entryRequest = entry.getRequest();
                if (entryRequest.getMethod() == Bundle.HTTPVerb.GET && isInstanceLevel(entryRequest.getUrl())) {
                    instanceReads.put(entryRequest, entryRequest.getUrl());
                }
            }
        }
        super.hookIncomingRequestPreHandled(request, servletRequest, servletResponse);
        instanceReads.forEach(Bundle.BundleEntryRequestComponent::setUrl);
    }

    /** {@code Type/id...}: a second path segment that is an id, not {@code _search}, {@code _history} or {@code $op}. */
    static boolean isInstanceLevel(String url) {
        if (url == null) {
            return false;
        }
        String path = url.trim().replaceFirst("\\?.*$", "");
        String[] segments = path.split("/");
        return segments.length >= 2 && !segments[1].isEmpty()
                && !segments[1].startsWith("_") && !segments[1].startsWith("$");
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
