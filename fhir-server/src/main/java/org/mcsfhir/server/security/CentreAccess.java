package org.mcsfhir.server.security;

import jakarta.servlet.http.HttpServletRequest;

/**
 * What features outside {@code /fhir} (the telemetry gateway under {@code /telemetry/v1/...}) ask the security feature.
 * Spring Security has already refused requests without a valid token or from a client kind other than
 * {@link ClientKind#DEVICE_GATEWAY}; this answers the per-device question the path rules cannot.
 */
public interface CentreAccess {

    /** The verified caller of this request ({@link ClientIdentity#openMode()} in open mode). */
    ClientIdentity client(HttpServletRequest request);

    /**
     * Whether the caller may write telemetry for the stored Device with this logical id: a device gateway whose centre
     * owns the device (Device.owner) or whose centre manages the patient it is implanted in. Always true in open mode;
     * false for any other client kind and for a device that does not exist.
     */
    boolean mayWriteTelemetryFor(HttpServletRequest request, String deviceId);
}
