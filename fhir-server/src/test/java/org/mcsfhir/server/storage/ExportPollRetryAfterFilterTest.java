package org.mcsfhir.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ExportPollRetryAfterFilterTest {

    /** What HAPI's BulkDataExportProvider does for a running export. */
    private static final FilterChain HAPI_POLL = (request, response) -> {
        ((HttpServletResponse) response).setStatus(202);
        ((HttpServletResponse) response).addHeader("Retry-After", "120");
        ((HttpServletResponse) response).addHeader("X-Progress", "Build in progress");
    };

    @Test
    void aStatusPoll_suggestsTheServersOwnPace() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        new ExportPollRetryAfterFilter(5)
                .doFilter(new MockHttpServletRequest("GET", "/fhir/$export-poll-status"), response, HAPI_POLL);

        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(response.getHeader("X-Progress")).isEqualTo("Build in progress");
    }

    @Test
    void aStatusPollWithAnEncodedDollar_suggestsTheServersOwnPace() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        new ExportPollRetryAfterFilter(5)
                .doFilter(new MockHttpServletRequest("GET", "/fhir/%24export-poll-status"), response, HAPI_POLL);

        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
    }

    @Test
    void otherRequests_keepTheirRetryAfter() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        new ExportPollRetryAfterFilter(5)
                .doFilter(new MockHttpServletRequest("GET", "/fhir/Patient"), response, HAPI_POLL);

        assertThat(response.getHeader("Retry-After")).isEqualTo("120");
    }
}
