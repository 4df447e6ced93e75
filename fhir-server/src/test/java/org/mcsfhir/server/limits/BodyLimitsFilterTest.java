package org.mcsfhir.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class BodyLimitsFilterTest {

    static final BodyLimits LIMITS = JsonBodyScannerTest.SMALL;
    static final BodyLimits STREAMED = new BodyLimits(
            8, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 20, Integer.MAX_VALUE, 64, Integer.MAX_VALUE);

    final BodyLimitsFilter filter = new BodyLimitsFilter(1000, LIMITS, STREAMED, new LargeBodyGate(100, 1));

    @Test
    void aGzipBodyReachesTheApplicationPlain_withoutContentEncoding() throws Exception {
        byte[] plain = "{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_8);
        MockHttpServletRequest request =
                post("/fhir/Patient", "application/fhir+json", ContentDecodingTest.gzip(plain));
        request.addHeader("Content-Encoding", "gzip");
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, new MockHttpServletResponse(), chain);

        HttpServletRequest passed = (HttpServletRequest) chain.getRequest();
        assertThat(passed.getInputStream().readAllBytes()).isEqualTo(plain);
        assertThat(passed.getHeader("Content-Encoding")).isNull();
        assertThat(Collections.list(passed.getHeaderNames())).doesNotContain("Content-Encoding");
        assertThat(passed.getContentLength()).isEqualTo(plain.length);
        assertThat(passed.getHeader("Content-Length")).isEqualTo(Integer.toString(plain.length));
    }

    @Test
    void aGzipBombIsAnswered413_andTheApplicationNeverSeesIt() throws Exception {
        MockHttpServletRequest request =
                post("/fhir/Patient", "application/fhir+json", ContentDecodingTest.gzip(new byte[100_000]));
        request.addHeader("Content-Encoding", "gzip");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        assertThat(chain.getRequest()).isNull();
        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentAsString()).contains("OperationOutcome", "too-costly", "MCS-0413");
    }

    @Test
    void aBrokenLimitIsAnswered400_inJsonAndXml() throws Exception {
        for (MockHttpServletRequest request : new MockHttpServletRequest[] {
            post("/fhir/Patient", "application/fhir+json", bytes("{\"a\":[1,2,3,4,5,6]}")),
            post("/fhir/Patient", "application/xml; charset=utf-8", bytes("<P><a/><a/><a/><a/><a/><a/></P>"))
        }) {
            MockHttpServletResponse response = new MockHttpServletResponse();
            MockFilterChain chain = new MockFilterChain();
            filter.doFilter(request, response, chain);
            assertThat(chain.getRequest()).isNull();
            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(response.getContentAsString()).contains("OperationOutcome", "MCS-0481");
        }
    }

    @Test
    void telemetryIsCheckedForDepthAndStringsOnly() throws Exception {
        String samples = "[" + "{\"time\":\"t\",\"pump-flow\":3.3},".repeat(20) + "{\"time\":\"t\"}]";
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(
                post("/telemetry/v1/devices/p/samples", "application/json", bytes(samples)),
                new MockHttpServletResponse(),
                chain);
        assertThat(chain.getRequest()).isNotNull();

        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(
                post(
                        "/telemetry/v1/devices/p/samples",
                        "application/x-ndjson",
                        bytes("{\"time\":\"" + "x".repeat(21) + "\"}")),
                response,
                new MockFilterChain());
        assertThat(response.getStatus()).isEqualTo(400);
    }

    @Test
    void otherBodiesPassUnread() throws Exception {
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(post("/fhir/Binary", "application/pdf", new byte[5000]), new MockHttpServletResponse(), chain);
        assertThat(chain.getRequest().getInputStream().readAllBytes()).hasSize(5000);
    }

    @Test
    void onlyTheNormalisedTelemetryPathHasTheStreamedLimits() throws Exception {
        MockHttpServletRequest request = post("/fhir/Patient", "application/fhir+json", bytes("{\"a\":[1,2,3,4,5,6]}"));
        request.setRequestURI("/telemetry/../fhir/Patient");
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        assertThat(response.getStatus()).isEqualTo(400);
    }

    @Test
    void oneLargeBodyAtATime_theNextIs429_smallOnesPass() throws Exception {
        byte[] large = bytes("{\"resourceType\":\"Binary\",\"data\":\"" + "QUJD".repeat(50) + "\"}");
        MockHttpServletResponse second = new MockHttpServletResponse();
        MockHttpServletResponse small = new MockHttpServletResponse();
        MockFilterChain smallChain = new MockFilterChain();
        // the first large body is still being processed when the next two arrive
        MockFilterChain first = new MockFilterChain(new HttpServlet() {}, (req, res, chain) -> {
            filter.doFilter(post("/fhir/Binary", "application/fhir+json", large), second, new MockFilterChain());
            filter.doFilter(post("/fhir/Patient", "application/fhir+json", bytes("{}")), small, smallChain);
        });
        filter.doFilter(post("/fhir/Binary", "application/fhir+json", large), new MockHttpServletResponse(), first);
        assertThat(second.getStatus()).isEqualTo(429);
        assertThat(second.getHeader("Retry-After")).isEqualTo("1");
        assertThat(second.getContentAsString()).contains("MCS-0429", "mcs.limits.max-concurrent-large-bodies");
        assertThat(smallChain.getRequest()).isNotNull();

        MockFilterChain after = new MockFilterChain();
        filter.doFilter(post("/fhir/Binary", "application/fhir+json", large), new MockHttpServletResponse(), after);
        assertThat(after.getRequest()).as("the permit was released").isNotNull();
    }

    static MockHttpServletRequest post(String uri, String contentType, byte[] body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", uri);
        request.setServletPath(uri);
        request.setContentType(contentType);
        request.setContent(body);
        return request;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
