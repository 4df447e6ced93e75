package org.mcsfhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.config.McsFhirProperties;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

class BrowserOriginsTest {

    private final CorsConfigurationSource source = BrowserOrigins.source(
            new McsFhirProperties.Cors(List.of("https://app.example", " "), Duration.ofMinutes(10)));

    @Test
    void aPreflightFromAnAllowedOrigin_isAnsweredWithTheOriginItselfAndTheHeadersAClientNeeds() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean passedOn = new AtomicBoolean();

        new CorsFilter(source)
                .doFilter(
                        preflight("/fhir/Patient", "https://app.example"), response, (req, res) -> passedOn.set(true));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(passedOn).isFalse(); // answered here: no token, no HAPI
        assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        assertThat(response.getHeader("Access-Control-Allow-Credentials")).isNull();
        assertThat(response.getHeader("Access-Control-Allow-Methods")).isEqualTo("GET,POST,PUT,PATCH,DELETE,OPTIONS");
        assertThat(response.getHeader("Access-Control-Allow-Headers"))
                .isEqualToIgnoringCase("authorization, content-type, if-match");
        assertThat(response.getHeader("Access-Control-Max-Age")).isEqualTo("600");
    }

    @Test
    void theRealRequestFromAnAllowedOrigin_exposesTheResponseHeadersFhirClientsRead() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/telemetry/v1/devices/d/samples");
        request.addHeader("Origin", "https://app.example");
        MockHttpServletResponse response = new MockHttpServletResponse();

        new CorsFilter(source).doFilter(request, response, (req, res) -> {});

        assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        assertThat(response.getHeader("Access-Control-Expose-Headers"))
                .contains("Location", "ETag", "X-Request-ID", "Retry-After", "X-Progress", "WWW-Authenticate");
    }

    @Test
    void anOriginNotAllowed_isRefusedWithAnOperationOutcome() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean passedOn = new AtomicBoolean();

        new BrowserOrigins.RefusedOriginFilter(source)
                .doFilter(
                        preflight("/fhir/Patient", "https://evil.example"), response, (req, res) -> passedOn.set(true));

        assertThat(passedOn).isFalse();
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentAsString()).contains("\"resourceType\":\"OperationOutcome\"", "MCS-0407");
    }

    @Test
    void aPreflightAskingForAHeaderOrMethodNotAllowed_isRefusedWithAnOperationOutcome() throws Exception {
        MockHttpServletRequest header = preflight("/fhir/Patient", "https://app.example");
        header.addHeader("Access-Control-Request-Headers", "x-secret");
        MockHttpServletRequest method = preflight("/fhir/Patient", "https://app.example");
        method.removeHeader("Access-Control-Request-Method");
        method.addHeader("Access-Control-Request-Method", "TRACE");
        for (MockHttpServletRequest request : List.of(header, method)) {
            MockHttpServletResponse response = new MockHttpServletResponse();
            new BrowserOrigins.RefusedOriginFilter(source).doFilter(request, response, (req, res) -> {});
            assertThat(response.getStatus()).isEqualTo(403);
            assertThat(response.getContentAsString()).contains("MCS-0407", "Authorization");
        }
    }

    @Test
    void requestsWithoutOriginOrFromTheServersOwnOrigin_areNotCors() throws Exception {
        MockHttpServletRequest sameOrigin = new MockHttpServletRequest("GET", "/fhir/Patient");
        sameOrigin.addHeader("Origin", "http://localhost"); // the mock request's own scheme, host and port
        for (MockHttpServletRequest request : List.of(new MockHttpServletRequest("GET", "/fhir/Patient"), sameOrigin)) {
            AtomicBoolean passedOn = new AtomicBoolean();
            new BrowserOrigins.RefusedOriginFilter(source)
                    .doFilter(request, new MockHttpServletResponse(), (req, res) -> passedOn.set(true));
            assertThat(passedOn).isTrue();
        }
    }

    @Test
    void byDefault_noOriginIsAllowed() throws Exception {
        CorsConfigurationSource none =
                BrowserOrigins.source(new McsFhirProperties.Cors(List.of(), Duration.ofHours(1)));
        MockHttpServletResponse response = new MockHttpServletResponse();

        new BrowserOrigins.RefusedOriginFilter(none)
                .doFilter(preflight("/fhir/metadata", "https://app.example"), response, (req, res) -> {});

        assertThat(response.getStatus()).isEqualTo(403);
    }

    private static MockHttpServletRequest preflight(String path, String origin) {
        MockHttpServletRequest request = new MockHttpServletRequest("OPTIONS", path);
        if (path.startsWith("/fhir/")) { // as Tomcat maps it to HAPI's servlet
            request.setServletPath("/fhir");
            request.setPathInfo(path.substring(5));
        }
        request.addHeader("Origin", origin);
        request.addHeader("Access-Control-Request-Method", "PUT");
        request.addHeader("Access-Control-Request-Headers", "authorization,content-type,if-match");
        return request;
    }
}
