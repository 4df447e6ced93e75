package org.mcsfhir.it.security;

import com.nimbusds.jose.JOSEObjectType;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.mcsfhir.it.support.ServerProcess;
import org.mcsfhir.it.support.TestServer;

/**
 * The packaged server with security on: a real OIDC server (mock-oauth2-server: discovery, JWKS, RS256-signed JWTs)
 * runs in the test JVM on loopback, and the jar is started against it with {@code mcs.security.issuer}. One instance
 * per test JVM, shared by the security ITs, on the database of the Failsafe run (H2 or PostgreSQL).
 */
public final class SecureServer {

    static final String ISSUER_ID = "mcs";
    static final String AUDIENCE = "mcs-fhir";

    private static MockOAuth2Server oauth;
    private static ServerProcess server;

    private SecureServer() {}

    public static synchronized ServerProcess get() {
        if (server == null) {
            oauth = startOAuth();
            Map<String, String> settings = ownDatabase(TestServer.settingsFor(TestServer.database()));
            settings.put("mcs.security.issuer", issuer());
            // access control is under test here, not profiles: the test data is minimal (TwoCentres)
            settings.put("mcs.validation.mode", "warn");
            server = ServerProcess.start("secure-" + TestServer.database(), settings);
            Runtime.getRuntime().addShutdownHook(new Thread(SecureServer::shutdown));
        }
        return server;
    }

    /** On PostgreSQL, a database of its own beside the shared test server's, so counts are this server's alone. */
    static Map<String, String> ownDatabase(Map<String, String> shared) {
        Map<String, String> settings = new LinkedHashMap<>(shared);
        String url = settings.get("mcs.db.url");
        if (url != null) {
            String name = "mcs_secure_" + System.nanoTime();
            try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("could not create a database for the secure server", e);
            }
            settings.put("mcs.db.url", url.replaceFirst("/postgres(\\?|$)", "/" + name + "$1"));
        }
        return settings;
    }

    static MockOAuth2Server oauth() {
        get();
        return oauth;
    }

    static String issuer() {
        return oauth.issuerUrl(ISSUER_ID).toString();
    }

    /**
     * A mock OAuth2 server on a free loopback port (shared by every IT that needs signed tokens). Its authorization
     * endpoint shows a sign-in form (user name and the token's claims as JSON), which the dashboard's browser tests
     * fill in; tokens issued directly ({@link #token}) are not affected.
     */
    public static MockOAuth2Server startOAuth() {
        MockOAuth2Server started = new MockOAuth2Server(OAuth2Config.Companion.fromJson("{\"interactiveLogin\":true}"));
        try (ServerSocket socket = new ServerSocket(0)) {
            int port = socket.getLocalPort();
            socket.close();
            started.start(InetAddress.getByName("127.0.0.1"), port);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the OAuth2 server", e);
        }
        return started;
    }

    /** A FHIR request with a bearer token (none when {@code token} is null). */
    public static RequestSpecification fhir(String token) {
        RequestSpecBuilder spec = new RequestSpecBuilder()
                .setBaseUri(get().fhirBase())
                .setContentType("application/fhir+json")
                .setAccept("application/fhir+json");
        if (token != null) {
            spec.addHeader("Authorization", "Bearer " + token);
        }
        return RestAssured.given(spec.build());
    }

    /** Creates a resource with {@code token} (201 expected) and returns its new id. */
    public static String create(String token, String type, String body) {
        return fhir(token)
                .body(body)
                .post("/" + type)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** A token from the configured issuer with the given claims, valid for an hour. */
    public static String token(String clientId, Map<String, Object> claims) {
        return token(ISSUER_ID, clientId, List.of(AUDIENCE), claims, 3600);
    }

    static String token(
            String issuerId, String clientId, List<String> audience, Map<String, Object> claims, long expirySeconds) {
        Map<String, Object> all = new LinkedHashMap<>(claims);
        all.put("client_id", clientId);
        return oauth().issueToken(
                        issuerId,
                        clientId,
                        new DefaultOAuth2TokenCallback(
                                issuerId,
                                clientId,
                                JOSEObjectType.JWT.getType(),
                                new ArrayList<>(audience),
                                all,
                                expirySeconds))
                .serialize();
    }

    public static Map<String, Object> claims(String kind, String centre, String scope) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("mcs_client_kind", kind);
        if (centre != null) {
            claims.put("mcs_centre", centre);
        }
        if (scope != null) {
            claims.put("scope", scope);
        }
        return claims;
    }

    private static void shutdown() {
        if (server != null) {
            server.close();
        }
        if (oauth != null) {
            oauth.shutdown();
        }
    }
}
