package org.mcsfhir.server.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.mcsfhir.server.errors.OperationOutcomes;
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
        chain.doFilter(new ReplayedBody(request, body), response);
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

    private static final class ReplayedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReplayedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public java.io.BufferedReader getReader() {
            String encoding = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(
                    new ByteArrayInputStream(body), java.nio.charset.Charset.forName(encoding)));
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("asynchronous reads are not used");
                }
            };
        }
    }
}
