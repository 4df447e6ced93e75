package org.mcsfhir.server.telemetry;

/**
 * A client error of the gateway endpoint, answered as an OperationOutcome: HTTP status, FHIR issue code, a stable
 * {@code MCS-07nn} code at the start of {@code diagnostics}, and where in the body it was found.
 */
final class TelemetryException extends RuntimeException {

    final int status;
    final String issueCode;
    /** where: {@code line[3].pump-flow}, or null if the request as a whole is at fault */
    final String expression;

    TelemetryException(int status, String issueCode, String diagnostics, String expression) {
        super(diagnostics, null, false, false);
        this.status = status;
        this.issueCode = issueCode;
        this.expression = expression;
    }

    static TelemetryException atLine(String code, int line, String field, String problem) {
        String where = field == null ? "line " + line : "line " + line + ", field \"" + field + "\"";
        return new TelemetryException(
                400,
                "invalid",
                code + ": " + where + ": " + problem,
                field == null ? "line[" + line + "]" : "line[" + line + "]." + field);
    }
}
