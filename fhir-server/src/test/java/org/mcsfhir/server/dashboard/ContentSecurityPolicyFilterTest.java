package org.mcsfhir.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ContentSecurityPolicyFilterTest {

    @Test
    void withIssuer_pageMayCallThisServerAndTheIssuersOriginOnly() throws Exception {
        ContentSecurityPolicyFilter filter =
                new ContentSecurityPolicyFilter("https://login.example.nhs.uk:8443/realms/mcs");
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(new MockHttpServletRequest("GET", "/dashboard/"), response, new MockFilterChain());
        assertThat(response.getHeader(ContentSecurityPolicyFilter.HEADER))
                .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")
                .contains("connect-src 'self' https://login.example.nhs.uk:8443;")
                .doesNotContain("unsafe-inline", "unsafe-eval", "realms");
    }

    @Test
    void openMode_pageMayCallThisServerOnly() {
        assertThat(new ContentSecurityPolicyFilter("").policy()).contains("connect-src 'self';");
    }
}
