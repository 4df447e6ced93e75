package org.mcsfhir.server.security;

import java.util.Arrays;
import java.util.Optional;

/** What a client is, from the {@code mcs_client_kind} claim of its token. Each kind has its own access policy. */
public enum ClientKind {
    /** A hospital EHR bound to one implanting centre: that centre's patients and their compartments. */
    EHR("ehr", true),
    /** A pump console / device gateway bound to one centre: telemetry writes for that centre only. */
    DEVICE_GATEWAY("device-gateway", true),
    /** A national registry: reads across centres, never writes clinical data. */
    REGISTRY("registry", false),
    /** Maintains the implementation guide's conformance resources at run time. */
    ADMIN("admin", false),
    /** Clinical governance: reads the access log (AuditEvents). */
    GOVERNANCE("governance", false);

    private final String claimValue;
    private final boolean centreBound;

    ClientKind(String claimValue, boolean centreBound) {
        this.claimValue = claimValue;
        this.centreBound = centreBound;
    }

    public String claimValue() {
        return claimValue;
    }

    /** Whether a token of this kind must name a centre, and the client then sees only that centre's data. */
    public boolean centreBound() {
        return centreBound;
    }

    public static Optional<ClientKind> fromClaim(String value) {
        return Arrays.stream(values())
                .filter(kind -> kind.claimValue.equals(value))
                .findFirst();
    }
}
