package org.mcsfhir.server.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.mcsfhir.server.config.McsFhirProperties;
import org.mcsfhir.server.errors.OperationOutcomes;
import org.springframework.http.HttpMethod;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * CORS for browser apps on other origins ({@code mcs.fhir.cors}), applied by Spring Security's {@code CorsFilter}
 * ({@code http.cors}) at the front of the security chain, so a preflight is answered before authentication and needs
 * no bearer token, while the real request that follows still does. Tokens travel in {@code Authorization}, not in
 * cookies, so credentials are not allowed and the answer names the caller's origin.
 *
 * <p>Why Spring's and not HAPI's {@code CorsInterceptor}: HAPI's sits inside the {@code /fhir} RestfulServer, behind
 * Spring Security, which refuses an OPTIONS preflight without a token (401) before HAPI sees it, and it would not cover
 * {@code /telemetry}.
 */
final class BrowserOrigins {

    static final String NOT_ALLOWED = "MCS-0407: this origin may not call the server from a browser (CORS); the "
            + "server's operator lists the origins that may in mcs.fhir.cors.allowed-origins";

    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    static final List<String> REQUEST_HEADERS = List.of(
            "Authorization",
            "Content-Type",
            "Accept",
            "If-Match",
            "If-None-Exist",
            "If-None-Match",
            "If-Modified-Since",
            "Prefer",
            "X-Request-ID");
    static final List<String> EXPOSED_HEADERS = List.of(
            "Location",
            "Content-Location",
            "ETag",
            "Last-Modified",
            "X-Request-ID",
            "Retry-After",
            "X-Progress",
            "WWW-Authenticate");

    private BrowserOrigins() {}

    /**
     * The same configuration for {@code /fhir}, {@code /fhir/**} and {@code /telemetry/**}; other paths have no CORS.
     * Matched on the path after the context path by hand: Spring's URL-based source would match {@code /fhir/**} on the
     * path within HAPI's servlet ({@code /Patient}), never on {@code /fhir/Patient}.
     */
    static CorsConfigurationSource source(McsFhirProperties.Cors settings) {
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(settings.allowedOrigins().stream()
                .map(String::trim)
                .filter(o -> !o.isEmpty())
                .toList());
        config.setAllowedMethods(METHODS);
        config.setAllowedHeaders(REQUEST_HEADERS);
        config.setExposedHeaders(EXPOSED_HEADERS);
        config.setAllowCredentials(false);
        config.setMaxAge(settings.maxAge());
        return request -> {
            String path =
                    request.getRequestURI().substring(request.getContextPath().length());
            boolean covered = path.equals("/fhir") || path.startsWith("/fhir/") || path.startsWith("/telemetry/");
            return covered ? config : null;
        };
    }

    /**
     * Runs just before Spring's {@code CorsFilter} and refuses a cross-origin request (preflight or real) from an
     * origin not allowed, or a preflight asking for a method or header not allowed, with 403 and an OperationOutcome,
     * as every error of this server; Spring would answer the same status with a plain-text "Invalid CORS request".
     * Requests without {@code Origin}, or from the server's own origin, are not CORS and pass.
     */
    static final class RefusedOriginFilter extends OncePerRequestFilter {

        private final CorsConfigurationSource source;

        RefusedOriginFilter(CorsConfigurationSource source) {
            this.source = source;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            CorsConfiguration config = CorsUtils.isCorsRequest(request) ? source.getCorsConfiguration(request) : null;
            String refusal = config == null ? null : refusal(config, request);
            if (refusal != null) {
                OperationOutcomes.write(request, response, 403, "forbidden", refusal);
                return;
            }
            chain.doFilter(request, response);
        }

        /** What Spring's CorsFilter would refuse, and why; null when it would let the request through. */
        private static String refusal(CorsConfiguration config, HttpServletRequest request) {
            if (config.checkOrigin(request.getHeader("Origin")) == null) {
                return NOT_ALLOWED;
            }
            if (!CorsUtils.isPreFlightRequest(request)) {
                return null;
            }
            String method = request.getHeader("Access-Control-Request-Method");
            List<String> headers = Collections.list(request.getHeaders("Access-Control-Request-Headers")).stream()
                    .flatMap(h -> Arrays.stream(h.split(",")))
                    .map(String::trim)
                    .filter(h -> !h.isEmpty())
                    .toList();
            List<String> allowedHeaders = headers.isEmpty() ? headers : config.checkHeaders(headers);
            // Spring would answer a partly allowed header list with the allowed part, and the browser fail silently
            if (config.checkHttpMethod(HttpMethod.valueOf(method)) == null
                    || allowedHeaders == null
                    || allowedHeaders.size() < headers.size()) {
                return "MCS-0407: a browser may call this server with the methods " + String.join(", ", METHODS)
                        + " and the request headers " + String.join(", ", REQUEST_HEADERS) + " only (CORS)";
            }
            return null;
        }
    }
}
