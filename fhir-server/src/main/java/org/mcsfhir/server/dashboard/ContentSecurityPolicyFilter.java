package org.mcsfhir.server.dashboard;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A strict Content-Security-Policy on the dashboard's files: scripts, styles, images and fonts from this server only
 * (no inline script, nothing from the internet), calls to this server and to the OAuth2 issuer's origin (the token
 * endpoint) only, no framing. An injected script could otherwise read the bearer token held in the page's memory.
 */
class ContentSecurityPolicyFilter extends OncePerRequestFilter {

    static final String HEADER = "Content-Security-Policy";

    private final String policy;

    ContentSecurityPolicyFilter(String issuer) {
        String connect = "'self'" + (issuer == null || issuer.isBlank() ? "" : " " + origin(issuer));
        this.policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self';"
                + " connect-src " + connect + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /** The issuer's scheme, host and port: its token endpoint may sit on any path below it (Keycloak's does). */
    static String origin(String issuer) {
        URI uri = URI.create(issuer.trim());
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    String policy() {
        return policy;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(HEADER, policy);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        chain.doFilter(request, response);
    }
}
