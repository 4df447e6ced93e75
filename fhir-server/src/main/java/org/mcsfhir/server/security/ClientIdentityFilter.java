package org.mcsfhir.server.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the caller's {@link ClientIdentity} on the request (attribute {@link ClientIdentity#REQUEST_ATTRIBUTE}) once
 * Spring Security has verified the token, so the FHIR interceptors and other features read one decided identity. In
 * open mode (no issuer) every request gets {@link ClientIdentity#openMode()}.
 */
class ClientIdentityFilter extends OncePerRequestFilter {

    private final boolean authenticationEnabled;

    ClientIdentityFilter(boolean authenticationEnabled) {
        this.authenticationEnabled = authenticationEnabled;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(
                ClientIdentity.REQUEST_ATTRIBUTE,
                authenticationEnabled ? ClientIdentity.fromSecurityContext() : ClientIdentity.openMode());
        chain.doFilter(request, response);
    }
}
