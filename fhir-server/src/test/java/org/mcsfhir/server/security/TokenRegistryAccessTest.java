package org.mcsfhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class TokenRegistryAccessTest {

    private final TokenRegistryAccess access = new TokenRegistryAccess();

    @Test
    void registryWithoutTheIdentifiableDataGrant_mustAlwaysGetThePseudonymisedCase() {
        assertThat(access.mustPseudonymise(requestOf(client(ClientKind.REGISTRY, null, false))))
                .isTrue();
    }

    @Test
    void registryWithTheGrant_getsWhatItAsksFor() {
        assertThat(access.mustPseudonymise(requestOf(client(ClientKind.REGISTRY, null, true))))
                .isFalse();
    }

    @Test
    void ehrOfTheCentre_getsWhatItAsksFor() {
        assertThat(access.mustPseudonymise(requestOf(client(ClientKind.EHR, "A", false))))
                .isFalse();
    }

    @Test
    void anyOtherKind_orARequestWithoutIdentity_isPseudonymised() {
        assertThat(access.mustPseudonymise(requestOf(client(ClientKind.GOVERNANCE, null, true))))
                .isTrue();
        assertThat(access.mustPseudonymise(new ServletRequestDetails())).isTrue();
    }

    @Test
    void openMode_pseudonymisesOnlyWhenAsked() {
        assertThat(access.mustPseudonymise(requestOf(ClientIdentity.openMode())))
                .isFalse();
    }

    private static ServletRequestDetails requestOf(ClientIdentity client) {
        MockHttpServletRequest servlet = new MockHttpServletRequest();
        servlet.setAttribute(ClientIdentity.REQUEST_ATTRIBUTE, client);
        ServletRequestDetails request = new ServletRequestDetails();
        request.setServletRequest(servlet);
        return request;
    }

    private static ClientIdentity client(ClientKind kind, String centre, boolean identifiable) {
        return new ClientIdentity(
                "test",
                Optional.of(kind),
                Optional.ofNullable(centre),
                SmartScopes.parse(List.of("system/*.rs")),
                identifiable,
                false);
    }
}
