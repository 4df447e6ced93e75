package org.mcsfhir.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;
import org.mcsfhir.server.errors.OperationOutcomes;

/**
 * Describes the authorization server to clients, the SMART on FHIR way: {@code /fhir/.well-known/smart-configuration}
 * (SMART App Launch 2.x, for backend services: client credentials, {@code private_key_jwt}, v1 and v2 scopes) and the
 * CapabilityStatement's {@code rest.security} with the SMART {@code oauth-uris} extension. Endpoints come from the
 * issuer's OIDC discovery document, fetched on first use and kept. In open mode both say so: the well-known document
 * is a 404 OperationOutcome and the CapabilityStatement carries no security section.
 */
@Interceptor
class SmartConfigurationInterceptor {

    static final String PATH = "/.well-known/smart-configuration";
    static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecurityProperties properties;
    private volatile Map<String, Object> discovery;

    SmartConfigurationInterceptor(SecurityProperties properties) {
        this.properties = properties;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
    public boolean serveSmartConfiguration(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!PATH.equals(request.getPathInfo())) {
            return true;
        }
        if (!properties.authenticationEnabled()) {
            OperationOutcomes.write(
                    response,
                    404,
                    "not-found",
                    "MCS-0404: no authorization server configured (mcs.security.issuer); this server runs open on loopback");
            return false;
        }
        ObjectNode document = JSON.createObjectNode();
        document.put("issuer", properties.issuer());
        Map<String, Object> oidc = discovery();
        putIfPresent(document, "jwks_uri", oidc.get("jwks_uri"));
        putIfPresent(document, "authorization_endpoint", oidc.get("authorization_endpoint"));
        putIfPresent(document, "token_endpoint", oidc.get("token_endpoint"));
        putIfPresent(document, "introspection_endpoint", oidc.get("introspection_endpoint"));
        document.putPOJO("grant_types_supported", List.of("client_credentials"));
        document.putPOJO("token_endpoint_auth_methods_supported", List.of("private_key_jwt", "client_secret_basic"));
        document.putPOJO("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384", "RS256"));
        document.putPOJO(
                "scopes_supported",
                List.of(
                        "system/*.read",
                        "system/*.rs",
                        "system/*.cruds",
                        "system/Observation.write",
                        "system/Observation.cu",
                        "system/AuditEvent.rs",
                        "user/*.read",
                        "user/*.rs"));
        document.putPOJO(
                "capabilities",
                List.of(
                        "client-confidential-asymmetric",
                        "client-confidential-symmetric",
                        "permission-v1",
                        "permission-v2"));
        byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        response.setStatus(200);
        response.setContentType("application/json;charset=UTF-8");
        response.getOutputStream().write(body);
        return false;
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void describeSecurity(IBaseConformance capabilityStatement) {
        if (!properties.authenticationEnabled() || !(capabilityStatement instanceof CapabilityStatement statement)) {
            return;
        }
        Map<String, Object> oidc = discovery();
        for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
            CapabilityStatement.CapabilityStatementRestSecurityComponent security = rest.getSecurity();
            security.setCors(false);
            security.getService().clear();
            security.addService(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/restful-security-service",
                    "SMART-on-FHIR",
                    "SMART-on-FHIR")));
            security.setDescription("OAuth2 bearer tokens (JWT) from " + properties.issuer()
                    + "; SMART on FHIR v1/v2 system scopes; clients bound to an implanting centre see only its patients."
                    + " See /.well-known/smart-configuration.");
            security.getExtension().removeIf(extension -> OAUTH_URIS.equals(extension.getUrl()));
            Extension uris = security.addExtension().setUrl(OAUTH_URIS);
            addUri(uris, "token", oidc.get("token_endpoint"));
            addUri(uris, "authorize", oidc.get("authorization_endpoint"));
            addUri(uris, "introspect", oidc.get("introspection_endpoint"));
        }
    }

    private static void addUri(Extension uris, String name, Object value) {
        if (value instanceof String uri) {
            uris.addExtension(name, new UriType(uri));
        }
    }

    private static void putIfPresent(ObjectNode document, String name, Object value) {
        if (value instanceof String text) {
            document.put(name, text);
        }
    }

    /** The issuer's OIDC discovery document; empty (and retried next time) while the issuer cannot be reached. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> discovery() {
        Map<String, Object> known = discovery;
        if (known != null) {
            return known;
        }
        String issuer = properties.issuer().replaceAll("/+$", "");
        try {
            HttpResponse<String> response = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                                    .timeout(Duration.ofSeconds(10))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() == 200) {
                known = JSON.readValue(response.body(), Map.class);
                discovery = known;
                return known;
            }
        } catch (IOException | RuntimeException e) {
            // fall through: the issuer is down; the document is retried on the next request
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Map.of();
    }
}
