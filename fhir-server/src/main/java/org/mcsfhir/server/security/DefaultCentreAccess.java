package org.mcsfhir.server.security;

import jakarta.servlet.http.HttpServletRequest;

/** {@link CentreAccess} over the stored data, via {@link CentreDirectory}. */
class DefaultCentreAccess implements CentreAccess {

    private final CentreDirectory directory;

    DefaultCentreAccess(CentreDirectory directory) {
        this.directory = directory;
    }

    @Override
    public ClientIdentity client(HttpServletRequest request) {
        return ClientIdentity.of(request);
    }

    @Override
    public boolean mayWriteTelemetryFor(HttpServletRequest request, String deviceId) {
        ClientIdentity client = client(request);
        if (client.open()) {
            return true;
        }
        return client.is(ClientKind.DEVICE_GATEWAY)
                && client.scopes().allows("Observation", SmartScopes.Permission.CREATE)
                && client.centre()
                        .map(centre -> directory.deviceBelongsTo(deviceId, centre))
                        .orElse(false);
    }
}
