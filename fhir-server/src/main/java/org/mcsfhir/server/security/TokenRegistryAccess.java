package org.mcsfhir.server.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.mcsfhir.server.registry.RegistryAccess;

/**
 * The registry feature's {@link RegistryAccess}, answered from the caller's token: only a registry holding the
 * identifiable-data grant ({@code mcs_identifiable_data}) and a hospital EHR (whose own centre's case it is, see
 * {@link AccessRules}) may receive a case with identifiable data; every other caller gets the pseudonymised case
 * whatever it asked for. Open mode (no issuer) pseudonymises only on request.
 */
class TokenRegistryAccess implements RegistryAccess {

    @Override
    public boolean mustPseudonymise(RequestDetails request) {
        ClientIdentity client = ClientIdentity.of(request);
        if (client.open()) {
            return false;
        }
        return !(client.is(ClientKind.EHR) || (client.is(ClientKind.REGISTRY) && client.identifiableDataGrant()));
    }
}
