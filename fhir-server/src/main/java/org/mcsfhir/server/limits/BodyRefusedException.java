package org.mcsfhir.server.limits;

/** A request body broke a limit: the status and OperationOutcome diagnostics to answer with. */
class BodyRefusedException extends Exception {

    final int status;
    final String issueCode;

    BodyRefusedException(int status, String issueCode, String diagnostics) {
        super(diagnostics, null, false, false);
        this.status = status;
        this.issueCode = issueCode;
    }

    static BodyRefusedException structure(String diagnostics) {
        return new BodyRefusedException(400, "too-costly", diagnostics);
    }
}
