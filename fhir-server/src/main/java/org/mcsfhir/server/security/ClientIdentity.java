package org.mcsfhir.server.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling, as far as access control is concerned: built once per request from the verified bearer token and
 * kept as a request attribute ({@link #REQUEST_ATTRIBUTE}) so features (registry, telemetry) can ask without knowing
 * about tokens. In open mode (no issuer configured, loopback only) the identity is {@link #openMode()}.
 *
 * @param clientId the OAuth2 client ({@code client_id}, else {@code azp}, else {@code sub})
 * @param kind the client kind, empty when the token names none (or an unknown one): such a client may do nothing
 * @param centre the logical id of the implanting centre's Organization, for centre-bound kinds
 * @param scopes the SMART scopes granted
 * @param identifiableDataGrant the registry may receive identifiable (not pseudonymised) data
 * @param open no authentication configured: everything is allowed
 */
public record ClientIdentity(
        String clientId,
        Optional<ClientKind> kind,
        Optional<String> centre,
        SmartScopes scopes,
        boolean identifiableDataGrant,
        boolean open) {

    /** Request attribute under which the {@link ClientIdentity} of the current request is kept. */
    public static final String REQUEST_ATTRIBUTE = ClientIdentity.class.getName();

    public static final String CLAIM_KIND = "mcs_client_kind";
    public static final String CLAIM_CENTRE = "mcs_centre";
    public static final String CLAIM_IDENTIFIABLE = "mcs_identifiable_data";

    private static final ClientIdentity OPEN =
            new ClientIdentity("anonymous", Optional.empty(), Optional.empty(), SmartScopes.none(), true, true);

    private static final ClientIdentity NOBODY =
            new ClientIdentity("anonymous", Optional.empty(), Optional.empty(), SmartScopes.none(), false, false);

    public static ClientIdentity openMode() {
        return OPEN;
    }

    public boolean is(ClientKind candidate) {
        return kind.filter(candidate::equals).isPresent();
    }

    /** A centre-bound kind whose token names its centre; a centre-bound kind without one gets no access at all. */
    public boolean centreBound() {
        return kind.map(ClientKind::centreBound).orElse(false);
    }

    public static ClientIdentity fromJwt(Jwt jwt) {
        String clientId =
                firstNonBlank(jwt.getClaimAsString("client_id"), jwt.getClaimAsString("azp"), jwt.getSubject());
        Optional<ClientKind> kind =
                Optional.ofNullable(jwt.getClaimAsString(CLAIM_KIND)).flatMap(ClientKind::fromClaim);
        Optional<String> centre = Optional.ofNullable(jwt.getClaimAsString(CLAIM_CENTRE))
                .map(value -> value.startsWith("Organization/") ? value.substring("Organization/".length()) : value)
                .filter(value -> value.matches("[A-Za-z0-9\\-.]{1,64}"));
        if (kind.map(ClientKind::centreBound).orElse(false) && centre.isEmpty()) {
            kind = Optional.empty();
        }
        Boolean identifiable = jwt.hasClaim(CLAIM_IDENTIFIABLE) ? jwt.getClaimAsBoolean(CLAIM_IDENTIFIABLE) : null;
        return new ClientIdentity(
                clientId == null ? "unknown" : clientId,
                kind,
                kind.map(ClientKind::centreBound).orElse(false) ? centre : Optional.empty(),
                SmartScopes.parse(scopesOf(jwt)),
                Boolean.TRUE.equals(identifiable),
                false);
    }

    private static List<String> scopesOf(Jwt jwt) {
        List<String> scopes = new ArrayList<>();
        Object scope = jwt.getClaims().get("scope");
        if (scope instanceof String text) {
            scopes.addAll(List.of(text.trim().split("\\s+")));
        } else if (scope instanceof Collection<?> list) {
            list.forEach(item -> scopes.add(String.valueOf(item)));
        }
        Object scp = jwt.getClaims().get("scp");
        if (scp instanceof Collection<?> list) {
            list.forEach(item -> scopes.add(String.valueOf(item)));
        } else if (scp instanceof String text) {
            scopes.addAll(List.of(text.trim().split("\\s+")));
        }
        return scopes;
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /**
     * The identity of the request being served, as set by {@link ClientIdentityFilter} after authentication. A request
     * that never passed that filter gets an identity that may do nothing.
     */
    public static ClientIdentity of(HttpServletRequest request) {
        Object identity = request.getAttribute(REQUEST_ATTRIBUTE);
        return identity instanceof ClientIdentity client ? client : NOBODY;
    }

    public static ClientIdentity of(RequestDetails request) {
        if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
            return of(servlet.getServletRequest());
        }
        return NOBODY;
    }

    /** The identity for the current Spring Security context: the token's, or nobody. */
    static ClientIdentity fromSecurityContext() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken token) {
            return fromJwt(token.getToken());
        }
        return NOBODY;
    }
}
