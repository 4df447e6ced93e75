package org.mcsfhir.server.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * Tells HAPI's BALP interceptor who is acting: the client agent is the OAuth2 client (identifier in
 * {@link #CLIENT_SYSTEM}, display = client kind); the user agent is the client's centre ({@code Organization/<id>})
 * for centre-bound clients, else the client again. So AuditEvents are searchable by centre with
 * {@code AuditEvent?agent=Organization/<id>}, by patient with {@code AuditEvent?patient=Patient/<id>} (BALP adds the
 * patient entity) and by outcome with {@code AuditEvent?outcome=4}.
 */
class AuditContext implements IBalpAuditContextServices {

    static final String CLIENT_SYSTEM = "https://mcs-fhir.org/fhir/sid/oauth-client";

    @Override
    public Reference getAgentClientWho(RequestDetails request) {
        return clientReference(ClientIdentity.of(request));
    }

    @Override
    public Reference getAgentUserWho(RequestDetails request) {
        ClientIdentity client = ClientIdentity.of(request);
        return client.centre()
                .map(centre -> new Reference("Organization/" + centre).setDisplay("implanting centre " + centre))
                .orElseGet(() -> clientReference(client));
    }

    @Override
    public String getNetworkAddress(RequestDetails request) {
        if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
            return servlet.getServletRequest().getRemoteAddr();
        }
        return null;
    }

    /** Relative ids ({@code Patient/5/_history/2}): the JPA store refuses absolute references to itself. */
    @Override
    public String massageResourceIdForStorage(RequestDetails request, IBaseResource resource, IIdType resourceId) {
        return resourceId.toUnqualified().getValue();
    }

    static Reference clientReference(ClientIdentity client) {
        String kind = client.open()
                ? "open mode (no issuer)"
                : client.kind().map(ClientKind::claimValue).orElse("no client kind");
        return new Reference()
                .setIdentifier(new Identifier().setSystem(CLIENT_SYSTEM).setValue(client.clientId()))
                .setDisplay(client.clientId() + " (" + kind + ")");
    }
}
