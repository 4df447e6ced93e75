package org.mcsfhir.server.errors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request lines that the layers behind would fail on with a 500 rather than refuse: a path with parameters
 * ({@code /fhir;x=1/Patient}) or dot segments ({@code /telemetry/../fhir/Patient}, encoded or not), which Tomcat
 * normalises so that the path no longer matches the raw URI and Spring's request-path parsing throws before Spring
 * Security's firewall sees it (400 {@code MCS-0454}); and a method no endpoint here implements, such as CONNECT, to
 * which the servlet layer answers 501 (405 {@code MCS-0405} with {@code Allow}).
 */
public class RequestLineFilter extends OncePerRequestFilter {

    static final String REFUSED = "MCS-0454: request refused: its URL, method or a header contains characters or "
            + "sequences this server does not accept (such as ';', '//', '..', an encoded '/' or '%', or control "
            + "characters)";
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    static final String ALLOW = String.join(", ", METHODS.stream().sorted().toList());
    private static final Pattern DOT_SEGMENT = Pattern.compile("(^|/)(\\.|%2e){1,2}(/|$)", Pattern.CASE_INSENSITIVE);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String uri = request.getRequestURI();
        if (uri.indexOf(';') >= 0 || DOT_SEGMENT.matcher(uri).find()) {
            OperationOutcomes.write(request, response, HttpServletResponse.SC_BAD_REQUEST, "invalid", REFUSED);
            return;
        }
        if (!METHODS.contains(request.getMethod().toUpperCase(Locale.ROOT))) {
            response.setHeader("Allow", ALLOW);
            OperationOutcomes.write(
                    request,
                    response,
                    HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    "not-supported",
                    unsupported(request.getMethod()));
            return;
        }
        chain.doFilter(request, response);
    }

    static String unsupported(String method) {
        return "MCS-0405: method " + method + " is not supported here";
    }
}
