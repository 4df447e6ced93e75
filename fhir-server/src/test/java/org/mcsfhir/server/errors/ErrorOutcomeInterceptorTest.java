package org.mcsfhir.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletConfig;

/**
 * A real RestfulServer with the interceptor, over a provider that fails the ways code behind HAPI fails. The packaged
 * server has no request that provokes a genuine fault on purpose, so the 500 path is tested here.
 */
class ErrorOutcomeInterceptorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static RestfulServer server;

    /** Fails like code behind HAPI can fail. */
    public static class FailingPatients implements IResourceProvider {
        @Override
        public Class<Patient> getResourceType() {
            return Patient.class;
        }

        @Read
        public Patient read(@IdParam IdType id) {
            return switch (id.getIdPart()) {
                case "bug" -> throw new NullPointerException("Cannot invoke \"org.example.Thing.x()\"");
                case "gone" -> throw new ResourceNotFoundException("HAPI-2001: Resource Patient/gone is not known");
                case "leaky" ->
                    throw new InvalidRequestException(
                            "java.lang.IllegalArgumentException: No parameter labelled '?3' in query");
                default -> new Patient().setActive(true);
            };
        }

        @Search
        public List<Patient> search(@RequiredParam(name = "name") StringParam name) {
            throw new InvalidRequestException("the name " + name.getValue() + " is not allowed");
        }

        @Create
        public MethodOutcome create(@ResourceParam Patient patient) {
            return new MethodOutcome(new IdType("Patient/1"));
        }
    }

    @BeforeAll
    static void startServer() throws Exception {
        server = new RestfulServer(FHIR);
        server.registerProvider(new FailingPatients());
        server.registerInterceptor(new ErrorOutcomeInterceptor());
        server.init(new MockServletConfig());
    }

    @Test
    void aServerFault_isAGeneric500WithAReferenceThatIsAlsoInTheHeader() throws Exception {
        MockHttpServletResponse response = call("GET", "/Patient/bug", null);

        assertThat(response.getStatus()).isEqualTo(500);
        String reference = response.getHeader("X-Request-ID");
        assertThat(reference).isNotBlank();
        assertThat(diagnostics(response)).isEqualTo("MCS-0500: internal error; reference " + reference);
        assertThat(response.getContentAsString()).doesNotContain("NullPointer", "org.example", "HAPI-");
    }

    @Test
    void aServerFault_usesTheCallersWellFormedRequestId() throws Exception {
        MockHttpServletRequest request = request("GET", "/Patient/bug", null);
        request.addHeader("X-Request-ID", "proxy-1234.abc");
        MockHttpServletResponse response = call(request);

        assertThat(response.getHeader("X-Request-ID")).isEqualTo("proxy-1234.abc");
        assertThat(diagnostics(response)).endsWith("reference proxy-1234.abc");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "HAPI's own client error gets the generic code of its status and loses HAPI's code"
                        + " | /Patient/gone   | 404 | MCS-0440: Resource Patient/gone is not known",
                "a client error that shows internals gets the generic text of its status"
                        + " | /Patient/leaky  | 400 | MCS-0400: bad request",
                "a message without a code is prefixed"
                        + " | /Patient?name=x | 400 | MCS-0400: the name x is not allowed",
            })
    void aClientError_getsAnMcsCode(String what, String path, int status, String diagnostics) throws Exception {
        MockHttpServletResponse response = call("GET", path, null);

        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(diagnostics(response)).isEqualTo(diagnostics);
    }

    @Test
    void aBodyThatCrashesHapisParser_isA400() throws Exception {
        MockHttpServletResponse response = call("POST", "/Patient", "{\"resourceType\":\"Patient\",\"\":1}");

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(diagnostics(response)).startsWith("MCS-0400: the request body could not be parsed");
    }

    @Test
    void errorsAreXmlWhenXmlWasAskedFor() throws Exception {
        MockHttpServletRequest request = request("GET", "/Patient/gone", null);
        request.addHeader("Accept", "application/fhir+xml");
        MockHttpServletResponse response = call(request);

        assertThat(response.getContentType()).startsWith("application/fhir+xml");
        assertThat(response.getContentAsString())
                .startsWith("<OperationOutcome")
                .contains("MCS-0440");
    }

    @Test
    void errorsAreJsonWhenAFormatThisServerDoesNotSpeakWasAskedFor() throws Exception {
        MockHttpServletRequest request = request("GET", "/Patient/gone", null);
        request.addHeader("Accept", "text/turtle");
        MockHttpServletResponse response = call(request);

        assertThat(response.getContentType()).startsWith("application/fhir+json");
        assertThat(diagnostics(response)).startsWith("MCS-0440");
    }

    @Test
    void successIsUntouched() throws Exception {
        MockHttpServletResponse response = call("GET", "/Patient/ok", null);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).contains("\"active\":true");
    }

    private static MockHttpServletResponse call(String method, String path, String body) throws Exception {
        return call(request(method, path, body));
    }

    private static MockHttpServletRequest request(String method, String path, String body) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/fhir" + path.replaceAll("\\?.*", ""));
        request.setServletPath("/fhir");
        request.setPathInfo(path.replaceAll("\\?.*", ""));
        if (path.contains("?")) {
            request.setQueryString(path.substring(path.indexOf('?') + 1));
            for (String pair : request.getQueryString().split("&")) {
                String[] nameValue = pair.split("=", 2);
                request.addParameter(nameValue[0], nameValue[1]);
            }
        }
        if (body != null) {
            request.setContentType("application/fhir+json");
            request.setContent(body.getBytes(StandardCharsets.UTF_8));
        }
        return request;
    }

    private static MockHttpServletResponse call(MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        server.service(request, response);
        return response;
    }

    private static String diagnostics(MockHttpServletResponse response) throws Exception {
        String body = response.getContentAsString(StandardCharsets.UTF_8);
        assertThat(body).as("an OperationOutcome").contains("OperationOutcome");
        return FHIR.newJsonParser()
                .parseResource(OperationOutcome.class, body)
                .getIssueFirstRep()
                .getDiagnostics();
    }
}
