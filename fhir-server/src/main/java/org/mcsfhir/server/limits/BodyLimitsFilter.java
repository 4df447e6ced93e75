package org.mcsfhir.server.limits;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.mcsfhir.server.errors.OperationOutcomes;
import org.mcsfhir.server.errors.ReplayedBodyRequest;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks every request body before anything parses it: undoes a gzip {@code Content-Encoding} up to
 * {@code mcs.limits.max-decompressed-size} (413 beyond), then scans a JSON or XML body once against the
 * {@link BodyLimits} (400 at the first broken limit), and replays the plain bytes to the application, a large body
 * only while a {@link LargeBodyGate} permit is free (429 otherwise). Runs after the
 * request size limit, which has already bounded the bytes on the wire.
 */
class BodyLimitsFilter extends OncePerRequestFilter {

    private final long maxDecompressedBytes;
    private final BodyLimits limits;
    private final BodyLimits streamedLimits;
    private final LargeBodyGate gate;

    /**
     * @param streamedLimits for the telemetry gateway, whose streaming parser holds only samples and caps them itself
     *     ({@code mcs.telemetry.max-values-per-request}); a legitimate request is one array of up to 200,000 samples
     * @param gate how many large bodies may be processed at once (telemetry has its own admission)
     */
    BodyLimitsFilter(long maxDecompressedBytes, BodyLimits limits, BodyLimits streamedLimits, LargeBodyGate gate) {
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.limits = limits;
        this.streamedLimits = streamedLimits;
        this.gate = gate;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<String> codings = ContentDecoding.codings(Collections.list(request.getHeaders("Content-Encoding")));
        String contentType =
                request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        boolean json = contentType.contains("json");
        boolean xml = contentType.contains("xml");
        if (codings.isEmpty() && !json && !xml) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        try {
            byte[] plain = ContentDecoding.decode(body, codings, maxDecompressedBytes);
            BodyLimits applicable = isTelemetry(request) ? streamedLimits : limits;
            // both when a client names both: whichever HAPI picks has been scanned
            if (json) {
                JsonBodyScanner.scan(plain, applicable);
            }
            if (xml) {
                XmlBodyScanner.scan(plain, applicable);
            }
            HttpServletRequest replayed =
                    codings.isEmpty() ? new ReplayedBodyRequest(request, plain) : new PlainBodyRequest(request, plain);
            try (LargeBodyGate.Permit permit = isTelemetry(request) ? null : gate.enter(plain.length)) {
                chain.doFilter(replayed, response);
            }
        } catch (BodyRefusedException refused) {
            if (refused.status == 429) {
                response.setHeader("Retry-After", "1");
            }
            OperationOutcomes.write(request, response, refused.status, refused.issueCode, refused.getMessage());
        }
    }

    /** By the decoded, normalised path: the raw URI could say /telemetry/../fhir/Patient. */
    private static boolean isTelemetry(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return (request.getServletPath() + (pathInfo == null ? "" : pathInfo)).startsWith("/telemetry/");
    }
}
