package org.mcsfhir.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.dao.PreVerifyConditionalMatchCriteriaRequest;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        return segments.length >= 2
                && !segments[1].isEmpty()
                && !segments[1].startsWith("_")
                && !segments[1].startsWith("$");
    }

    @Override
    protected AuthorizedList buildAuthorizedList(RequestDetails request) {
        List<String> compartments = compartments(request);
        return compartments == null ? null : new AuthorizedList().addCompartments(compartments.toArray(String[]::new));
    }

    /**
     * After a conditional create or update, HAPI checks that the written resource matches the condition: the narrowed
     * one, which lists the centre's patients as they were before the write, so a new Patient, or a resource about a
     * patient created in the same transaction, could never match it (400). The check uses the client's own condition
     * instead: the parameter narrowing added (the whole list of the centre's patients) is left out. Finding an
     * existing match stays narrowed, and the written references are checked by {@link ReferenceGuard}.
     */
    @Hook(Pointcut.STORAGE_PREVERIFY_CONDITIONAL_MATCH_CRITERIA)
    public void verifyAgainstTheClientsCondition(
            RequestDetails request, PreVerifyConditionalMatchCriteriaRequest criteria) {
        List<String> compartments = compartments(request);
        if (compartments != null && criteria.getConditionalUrl() != null) {
            criteria.setConditionalUrl(withoutNarrowing(criteria.getConditionalUrl(), compartments));
        }
    }

    /** The centre's patients as {@code Patient/<id>} (memoised per request), or null when no narrowing applies. */
    private List<String> compartments(RequestDetails request) {
        ClientIdentity client = ClientIdentity.of(request);
        if (client.open() || !client.centreBound()) {
            return null;
        }
        Collection<String> patients = centrePatients.of(request, client.centre().orElseThrow());
        return patients.isEmpty()
                ? List.of(NO_PATIENT)
                : patients.stream().map(id -> "Patient/" + id).toList();
    }

    /** The URL without any parameter whose value is exactly the narrowing list (as references or as bare ids). */
    static String withoutNarrowing(String url, List<String> compartments) {
        Set<String> references = new HashSet<>(compartments);
        Set<String> ids = new HashSet<>();
        compartments.forEach(reference -> ids.add(reference.substring(reference.indexOf('/') + 1)));
        int question = url.indexOf('?');
        List<String> kept = new ArrayList<>();
        for (String pair : (question < 0 ? url : url.substring(question + 1)).split("&")) {
            String value = URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8);
            Set<String> values = new HashSet<>(Arrays.asList(value.split(",")));
            if (!values.equals(references) && !values.equals(ids)) {
                kept.add(pair);
            }
        }
        if (kept.isEmpty()) {
            return url; // only the narrowing: nothing of the client's own to check against
        }
        return (question < 0 ? "" : url.substring(0, question + 1)) + String.join("&", kept);
    }
}
