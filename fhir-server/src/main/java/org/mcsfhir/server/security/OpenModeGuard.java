package org.mcsfhir.server.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Safe default: without an issuer ({@code mcs.security.issuer}) nobody is authenticated and everything is allowed.
 * That is tolerable only when nothing but this machine can connect, so the server then starts only if
 * {@code server.address} is a loopback address (with a loud warning) and refuses to start otherwise.
 */
class OpenModeGuard {

    private static final Logger LOG = LoggerFactory.getLogger(OpenModeGuard.class);

    static final String REFUSAL = "MCS-0001: refusing to start: no OAuth2 issuer is configured (mcs.security.issuer /"
            + " MCS_SECURITY_ISSUER), so every request would be allowed, and server.address is '%s', which is not a"
            + " loopback address. Configure an issuer, or bind to 127.0.0.1 for local development.";

    OpenModeGuard(SecurityProperties properties, String serverAddress) {
        if (properties.authenticationEnabled()) {
            LOG.info("Bearer tokens required: issuer {}, audience {}", properties.issuer(), properties.audience());
            return;
        }
        if (!isLoopback(serverAddress)) {
            String message = REFUSAL.formatted(
                    serverAddress == null || serverAddress.isBlank() ? "(all interfaces)" : serverAddress);
            LOG.error(message);
            throw new IllegalStateException(message);
        }
        LOG.warn("""

                *******************************************************************************************
                * SECURITY OFF: no OAuth2 issuer configured (mcs.security.issuer). Every request is allowed *
                * and nobody is authenticated. Allowed only because the server listens on loopback ({}).  *
                * Never expose this server to a network in this mode.                                     *
                *******************************************************************************************""", serverAddress);
    }

    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            for (InetAddress resolved : InetAddress.getAllByName(address.trim())) {
                if (!resolved.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
