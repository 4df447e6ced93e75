package org.mcsfhir.server.errors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a path with parameters ({@code /fhir;x=1/Patient}) with 400. Spring Security's firewall would refuse it as
 * well, but Spring's request-path parsing runs before the firewall and fails on it with an exception (a 500).
 */
public class PathParameterFilter extends OncePerRequestFilter {

    static final String REFUSED = "MCS-0454: request refused: its URL, method or a header contains characters or "
            + "sequences this server does not accept (such as ';', '//', '..', an encoded '/' or '%', or control "
            + "characters)";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getRequestURI().indexOf(';') >= 0) {
            OperationOutcomes.write(request, response, HttpServletResponse.SC_BAD_REQUEST, "invalid", REFUSED);
            return;
        }
        chain.doFilter(request, response);
    }
}
