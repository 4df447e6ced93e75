package org.mcsfhir.server.validation;

/**
 * Resources the server builds itself from already-checked input (telemetry windows) may skip profile validation:
 * the code that builds them carries a test proving they conform. Such writes put this key with {@code Boolean.TRUE}
 * into the request's user data. Requests from clients never can: user data is not settable over HTTP.
 */
public final class ValidationBypass {

    public static final String USER_DATA_KEY = "mcs.validation.skip";

    private ValidationBypass() {}
}
