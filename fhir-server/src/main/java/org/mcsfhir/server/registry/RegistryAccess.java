package org.mcsfhir.server.registry;

import ca.uhn.fhir.rest.api.server.RequestDetails;

/**
 * Whether a request may see identifiable data in a registry case. The security feature replaces the default bean
 * (declare a bean of this type) with one that answers from the caller's token grants: a registry client without an
 * identifiable-data grant must always get the pseudonymised case, whatever {@code pseudonymise} says.
 */
@FunctionalInterface
public interface RegistryAccess {

    /** True if the case for this request must be pseudonymised even when the client did not ask for it. */
    boolean mustPseudonymise(RequestDetails request);
}
