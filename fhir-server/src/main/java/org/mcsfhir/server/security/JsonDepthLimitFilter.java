package org.mcsfhir.server.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.mcsfhir.server.errors.OperationOutcomes;
import org.mcsfhir.server.errors.ReplayedBodyRequest;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses JSON request bodies nested deeper than {@code mcs.security.max-json-depth} with 400 and an
 * OperationOutcome ({@code MCS-0410}) before a parser builds anything from them: a few kilobytes of {@code [[[[...}
 * would otherwise cost the parser a deep recursion. The body (already bounded by the request size limit, which runs
 * first) is scanned once, counting brackets outside strings, and replayed to the application.
 */
class JsonDepthLimitFilter extends OncePerRequestFilter {

    private final int maxDepth;

    JsonDepthLimitFilter(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase().contains("json")) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        if (depthOf(body) > maxDepth) {
            OperationOutcomes.write(response, 400, "too-costly",
                    "MCS-0410: JSON body nested deeper than " + maxDepth + " levels (mcs.security.max-json-depth)");
            return;
        }
        chain.doFilter(new ReplayedBodyRequest(request, body), response);
    }

    /** Deepest nesting of objects and arrays, ignoring brackets inside strings. */
    static int depthOf(byte[] json) {
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        boolean escaped = false;
        for (byte b : json) {
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
                continue;
            }
            switch (b) {
                case '"' -> inString = true;
                case '{', '[' -> deepest = Math.max(deepest, ++depth);
                case '}', ']' -> depth--;
                default -> {}
            }
        }
        return deepest;
    }
}
