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
 * first) is scanned once, counting brackets outside strings, and replayed to the application. Number literals too long
 * or with too large an exponent are refused the same way ({@code MCS-0411}).
 */
class JsonDepthLimitFilter extends OncePerRequestFilter {

    static final int MAX_NUMBER_LENGTH = 64;
    static final int MAX_EXPONENT_DIGITS = 3;

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
        Scan scan = scan(body);
        if (scan.depth() > maxDepth) {
            OperationOutcomes.write(response, 400, "too-costly",
                    "MCS-0410: JSON body nested deeper than " + maxDepth + " levels (mcs.security.max-json-depth)");
            return;
        }
        if (scan.oversizedNumber()) {
            OperationOutcomes.write(response, 400, "too-costly", "MCS-0411: a JSON number longer than "
                    + MAX_NUMBER_LENGTH + " characters or with an exponent of more than " + MAX_EXPONENT_DIGITS
                    + " digits (no FHIR decimal needs one; parsing it could take the server minutes)");
            return;
        }
        chain.doFilter(new ReplayedBodyRequest(request, body), response);
    }

    /** What one pass over a JSON body found: its deepest nesting, and whether a number literal is oversized. */
    record Scan(int depth, boolean oversizedNumber) {}

    static int depthOf(byte[] json) {
        return scan(json).depth();
    }

    static boolean hasOversizedNumber(byte[] json) {
        return scan(json).oversizedNumber();
    }

    /**
     * One pass, outside strings: the deepest nesting of objects and arrays, and whether a number literal is longer
     * than {@value #MAX_NUMBER_LENGTH} characters or has an exponent of more than {@value #MAX_EXPONENT_DIGITS}
     * digits ({@code 1e999999} is eight bytes, but the parser expands it to a million digits).
     */
    static Scan scan(byte[] json) {
        int depth = 0;
        int deepest = 0;
        boolean oversized = false;
        boolean inString = false;
        boolean escaped = false;
        int length = 0;
        int exponentDigits = -1;
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
            boolean numberChar = (b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
            if (numberChar) {
                length++;
                if (b == 'e' || b == 'E') {
                    exponentDigits = 0;
                } else if (exponentDigits >= 0 && b >= '0' && b <= '9') {
                    exponentDigits++;
                }
                oversized |= length > MAX_NUMBER_LENGTH || exponentDigits > MAX_EXPONENT_DIGITS;
                continue;
            }
            length = 0;
            exponentDigits = -1;
            switch (b) {
                case '"' -> inString = true;
                case '{', '[' -> deepest = Math.max(deepest, ++depth);
                case '}', ']' -> depth--;
                default -> {}
            }
        }
        return new Scan(deepest, oversized);
    }
}
