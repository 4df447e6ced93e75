package org.mcsfhir.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.mcsfhir.it.security.SecureServer.claims;
import static org.mcsfhir.it.security.SecureServer.fhir;
import static org.mcsfhir.it.security.SecureServer.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bearer tokens are verified against the configured issuer: signature, issuer, audience, expiry; 401 vs 403. */
class TokenVerificationIT {

    private static final String READ_ALL = "system/*.rs";

    @Test
    void noToken_is401WithBearerChallengeAndOperationOutcome() {
        unauthorized(fhir(null).get("/Patient").then()).header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void validToken_isAccepted() {
        fhir(token("it-registry", TwoCentres.registryClaims(false)))
                .get("/Observation?_summary=count")
                .then()
                .statusCode(200);
    }

    @Test
    void expiredToken_is401() {
        String expired = token(
                SecureServer.ISSUER_ID,
                "it-expired",
                List.of(SecureServer.AUDIENCE),
                TwoCentres.registryClaims(false),
                -600);
        unauthorized(fhir(expired).get("/Observation").then())
                .header("WWW-Authenticate", containsString("invalid_token"));
    }

    @Test
    void tokenFromAnotherIssuer_is401() {
        String foreign = token(
                "someone-else", "it-foreign", List.of(SecureServer.AUDIENCE), TwoCentres.registryClaims(false), 3600);
        unauthorized(fhir(foreign).get("/Observation").then());
    }

    @Test
    void tokenForAnotherAudience_is401() {
        String otherAudience =
                token(SecureServer.ISSUER_ID, "it-aud", List.of("another-api"), TwoCentres.registryClaims(false), 3600);
        unauthorized(fhir(otherAudience).get("/Observation").then());
    }

    @Test
    void tokenSignedWithAnUnknownKey_is401() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("not-the-issuers").generate();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(stranger.getKeyID())
                        .build(),
                new JWTClaimsSet.Builder()
                        .issuer(SecureServer.issuer())
                        .audience(SecureServer.AUDIENCE)
                        .subject("it-forger")
                        .claim("mcs_client_kind", "registry")
                        .claim("scope", READ_ALL)
                        .claim("mcs_identifiable_data", true)
                        .issueTime(new Date())
                        .expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
                        .build());
        jwt.sign(new RSASSASigner(stranger));
        unauthorized(fhir(jwt.serialize()).get("/Observation").then());
    }

    @Test
    void tokenWithoutScopes_is403() {
        forbidden(fhir(token("it-noscope", claims("registry", null, null)))
                .get("/Observation")
                .then());
    }

    @Test
    void tokenWithoutClientKind_is403() {
        forbidden(fhir(token("it-nokind", claims("astronaut", null, READ_ALL)))
                .get("/Observation")
                .then());
    }

    @Test
    void centreBoundKindWithoutCentre_is403() {
        forbidden(fhir(token("it-nocentre", claims("ehr", null, "system/*.cruds")))
                .get("/Observation")
                .then());
    }

    @Test
    void smartV1AndV2ScopesBothWork() {
        String v1 = token("it-v1", claims("registry", null, "system/Observation.read"));
        String v2 = token("it-v2", claims("registry", null, "system/Observation.rs"));
        fhir(v1).get("/Observation?_summary=count").then().statusCode(200);
        fhir(v2).get("/Observation?_summary=count").then().statusCode(200);
        forbidden(fhir(v2).get("/Condition").then());
        String createOnly = token("it-v2-c", claims("admin", null, "system/ValueSet.c"));
        forbidden(fhir(createOnly).get("/ValueSet").then());
    }

    @Test
    void unknownPath_isRefused() {
        RestAssured.given()
                .baseUri(SecureServer.get().root())
                .get("/anything")
                .then()
                .statusCode(401);
        String token = token("it-registry", TwoCentres.registryClaims(false));
        RestAssured.given()
                .baseUri(SecureServer.get().root())
                .header("Authorization", "Bearer " + token)
                .get("/anything")
                .then()
                .statusCode(403);
    }

    @Test
    void metadataIsPublicAndDescribesSmartSecurity() {
        fhir(null)
                .get("/metadata")
                .then()
                .statusCode(200)
                .body("rest[0].security.service[0].coding[0].code", equalTo("SMART-on-FHIR"))
                .body(
                        "rest[0].security.extension[0].url",
                        equalTo("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"))
                .body("rest[0].security.extension[0].extension.url", hasItem("token"));
    }

    @Test
    void smartConfigurationIsPublishedAtTheFhirBase() {
        RestAssured.given()
                .baseUri(SecureServer.get().fhirBase())
                .get("/.well-known/smart-configuration")
                .then()
                .statusCode(200)
                .body("issuer", equalTo(SecureServer.issuer()))
                .body("token_endpoint", startsWith(SecureServer.issuer()))
                .body("capabilities", hasItem("permission-v2"))
                .body("capabilities", hasItem("permission-v1"))
                .body("grant_types_supported", hasItem("client_credentials"));
    }

    @Test
    void healthIsPublic() {
        RestAssured.given()
                .baseUri(SecureServer.get().root())
                .get("/actuator/health")
                .then()
                .statusCode(200);
    }

    @Test
    void deeplyNestedJson_isRefusedWith400() {
        String deep = "{\"resourceType\":\"Patient\",\"extension\":" + "[".repeat(200) + "]".repeat(200) + "}";
        String response = fhir(TwoCentres.ADMIN)
                .body(deep)
                .post("/Patient")
                .then()
                .statusCode(400)
                .extract()
                .asString();
        assertThat(response).contains("OperationOutcome", "MCS-0410");
    }

    private static ValidatableResponse unauthorized(ValidatableResponse response) {
        return response.statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("MCS-0401"))
                .body(not(containsString("\tat ")));
    }

    private static ValidatableResponse forbidden(ValidatableResponse response) {
        return response.statusCode(403)
                .header("WWW-Authenticate", containsString("insufficient_scope"))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("MCS-0403"))
                .body(not(containsString("\tat ")));
    }
}
