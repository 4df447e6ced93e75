package org.mcsfhir.server.errors;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Writes the OperationOutcome of every error response, whichever layer caught the error (HAPI's RestfulServer,
 * servlet filters, Spring's error page, Tomcat's error valve), so all of them have the same shape: JSON, or XML when
 * the request asked for XML through {@code _format} or {@code Accept}.
 */
public final class OperationOutcomes {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private OperationOutcomes() {}

    public static OperationOutcome error(String issueCode, String diagnostics) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(IssueSeverity.ERROR)
                .setCode(IssueType.fromCode(issueCode))
                .setDiagnostics(diagnostics);
        return outcome;
    }

    /** JSON, for callers that have no request at hand. */
    public static void write(HttpServletResponse response, int status, String issueCode, String diagnostics)
            throws IOException {
        write(null, response, status, error(issueCode, diagnostics));
    }

    public static void write(
            HttpServletRequest request, HttpServletResponse response, int status, String issueCode, String diagnostics)
            throws IOException {
        write(request, response, status, error(issueCode, diagnostics));
    }

    public static void write(
            HttpServletRequest request, HttpServletResponse response, int status, IBaseOperationOutcome outcome)
            throws IOException {
        boolean xml = request != null && wantsXml(request);
        byte[] body = encode(outcome, xml).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(contentType(xml));
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static String encode(IBaseOperationOutcome outcome, boolean xml) {
        IParser parser = xml ? FHIR.newXmlParser() : FHIR.newJsonParser();
        return parser.encodeResourceToString(outcome);
    }

    static String contentType(boolean xml) {
        return xml ? "application/fhir+xml;charset=UTF-8" : "application/fhir+json;charset=UTF-8";
    }

    /**
     * Whether the client asked for XML: {@code _format} wins over {@code Accept} (as in FHIR), and in {@code Accept}
     * the first FHIR format named. Anything else, including formats this server does not speak, gets JSON.
     */
    static boolean wantsXml(HttpServletRequest request) {
        String format = formatParameter(request.getQueryString());
        if (format != null) {
            return format.equals("xml") || format.endsWith("/xml") || format.endsWith("+xml");
        }
        String accept = request.getHeader("Accept");
        if (accept == null) {
            return false;
        }
        accept = accept.toLowerCase(Locale.ROOT);
        int xml = accept.indexOf("xml");
        int json = accept.indexOf("json");
        return xml >= 0 && (json < 0 || xml < json);
    }

    /** Read from the raw query string: the servlet parameter map may be unusable in a request being refused. */
    private static String formatParameter(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("_format=")) {
                try {
                    return URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8)
                            .trim()
                            .toLowerCase(Locale.ROOT);
                } catch (IllegalArgumentException malformed) {
                    return null;
                }
            }
        }
        return null;
    }
}
