package org.mcsfhir.server.errors;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The generic MCS codes of errors that no feature names more precisely (HAPI's own client errors, Tomcat's and
 * Spring's), one per HTTP status, and the clean-up that gives every diagnostics an MCS code and no internals.
 * Where the code {@code MCS-04ss} for status {@code ss} already names a specific error (404, 409, 410, 412, 422), the
 * generic code is in {@code MCS-0440..0444} instead. docs/errors.md lists them all.
 */
public final class ErrorCodes {

    private static final Map<Integer, String> GENERIC = Map.ofEntries(
            Map.entry(400, "MCS-0400: bad request"),
            Map.entry(401, "MCS-0401: a valid bearer token is required"),
            Map.entry(403, "MCS-0403: access denied"),
            Map.entry(404, "MCS-0440: not found"),
            Map.entry(405, "MCS-0405: method not allowed"),
            Map.entry(406, "MCS-0406: none of the accepted formats can be produced"),
            Map.entry(409, "MCS-0441: conflict"),
            Map.entry(410, "MCS-0442: gone"),
            Map.entry(412, "MCS-0443: precondition failed"),
            Map.entry(413, "MCS-0413: request too large"),
            Map.entry(414, "MCS-0414: request URI too long"),
            Map.entry(415, "MCS-0415: unsupported media type"),
            Map.entry(422, "MCS-0444: unprocessable entity"),
            Map.entry(429, "MCS-0429: too many requests"),
            Map.entry(431, "MCS-0431: request header fields too large"),
            Map.entry(501, "MCS-0501: not implemented"),
            Map.entry(503, "MCS-0503: service unavailable"));

    public static final String INTERNAL = "MCS-0500: internal error";

    private static final Pattern MCS_CODE = Pattern.compile("^MCS-\\d{4}\\b.*", Pattern.DOTALL);
    /** HAPI's own message codes ("HAPI-0302: "): ours are the stable ones, so these are dropped. */
    private static final Pattern HAPI_CODE = Pattern.compile("HAPI-\\d{4}: ");
    /** What gives an implementation away: qualified Java class names, exception names, SQL and driver messages. */
    private static final Pattern INTERNALS = Pattern.compile(String.join(
            "|",
            "(?<![\\w.])(?:java|javax|jakarta|org|com|ca|io|net)\\.[a-z]\\w*\\.", // a package
            "\\b(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z]\\w*", // a qualified class name
            "\\w*Exception\\b|\\b[A-Z]\\w+Error\\b", // an exception or error class
            "\\bSQL|\\bJDBC|(?i:\\bselect\\s.+\\sfrom\\s)|\\[\\d{5}-\\d+]")); // SQL, H2's error numbers

    private ErrorCodes() {}

    /** The generic diagnostics of a status, e.g. {@code "MCS-0400: bad request"}. */
    public static String generic(int status) {
        String known = GENERIC.get(status);
        if (known != null) {
            return known;
        }
        return status >= 500 ? INTERNAL : "MCS-0499: client error (HTTP " + status + ")";
    }

    /**
     * Diagnostics fit for a client: HAPI codes removed; a message with an MCS code kept (our features write those on
     * purpose); otherwise the generic text of the status instead of a message that shows internals, or the generic
     * code in front of one that does not.
     */
    public static String clean(int status, String diagnostics) {
        String text = diagnostics == null
                ? ""
                : HAPI_CODE.matcher(diagnostics).replaceAll("").trim();
        if (MCS_CODE.matcher(text).matches()) {
            return text; // written on purpose by a feature here
        }
        if (text.isEmpty() || revealsInternals(text)) {
            return generic(status);
        }
        return generic(status).substring(0, "MCS-0000".length()) + ": " + text;
    }

    public static boolean revealsInternals(String text) {
        return INTERNALS.matcher(text).find();
    }
}
