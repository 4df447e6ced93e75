package org.mcsfhir.it.nodes;

import com.nimbusds.jose.JOSEObjectType;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.mcsfhir.it.security.SecureServer;
import org.mcsfhir.it.support.ServerProcess;
import org.mcsfhir.it.support.TestServer;

/**
 * Two packaged servers on one PostgreSQL database, as a production installation runs them behind a load balancer:
 * security on (an OIDC server in the test JVM, RS256 JWTs), a database of their own on the run's embedded
 * PostgreSQL, node A started first (it creates the schema), then node B. Profiles are not under test here, so writes
 * are validated in warn mode and the test data stays minimal.
 */
final class TwoNodes implements AutoCloseable {

    static final String AUDIENCE = "mcs-fhir";
    private static final String ISSUER_ID = "mcs";

    private final MockOAuth2Server oauth;
    final ServerProcess a;
    final ServerProcess b;

    private TwoNodes(MockOAuth2Server oauth, ServerProcess a, ServerProcess b) {
        this.oauth = oauth;
        this.a = a;
        this.b = b;
    }

    static TwoNodes start() {
        MockOAuth2Server oauth = SecureServer.startOAuth();
        Map<String, String> settings = ownDatabase(TestServer.settingsFor("postgres"));
        settings.put("mcs.security.issuer", oauth.issuerUrl(ISSUER_ID).toString());
        settings.put("mcs.validation.mode", "warn");
        ServerProcess a = ServerProcess.start("two-nodes-a", settings);
        Map<String, String> settingsB = new LinkedHashMap<>(settings);
        settingsB.put("mcs.data-dir", TestServer.newDataDir().toString());
        settingsB.put(TestServer.MLLP_PORT, Integer.toString(ServerProcess.freePort())); // each node its own listener
        ServerProcess b = ServerProcess.start("two-nodes-b", settingsB);
        return new TwoNodes(oauth, a, b);
    }

    /** A FHIR request to one node with a bearer token. */
    static RequestSpecification fhir(ServerProcess node, String token) {
        return RestAssured.given(new RequestSpecBuilder()
                .setBaseUri(node.fhirBase())
                .setContentType("application/fhir+json")
                .setAccept("application/fhir+json")
                .addHeader("Authorization", "Bearer " + token)
                .build());
    }

    /** A token of the given client kind (centre and identifiable-data grant where given), valid for an hour. */
    String token(String clientId, String kind, String centre, String scope, boolean identifiable) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("client_id", clientId);
        claims.put("mcs_client_kind", kind);
        claims.put("scope", scope);
        if (centre != null) {
            claims.put("mcs_centre", centre);
        }
        if (identifiable) {
            claims.put("mcs_identifiable_data", true);
        }
        return oauth.issueToken(
                        ISSUER_ID,
                        clientId,
                        new DefaultOAuth2TokenCallback(
                                ISSUER_ID,
                                clientId,
                                JOSEObjectType.JWT.getType(),
                                new ArrayList<>(List.of(AUDIENCE)),
                                claims,
                                3600))
                .serialize();
    }

    @Override
    public void close() {
        b.close();
        a.close();
        oauth.shutdown();
    }

    /** A database of the pair's own, so that counts and exports are theirs alone. */
    private static Map<String, String> ownDatabase(Map<String, String> shared) {
        Map<String, String> settings = new LinkedHashMap<>(shared);
        String url = settings.get("mcs.db.url");
        String name = "mcs_two_nodes_" + System.nanoTime();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the two nodes' database", e);
        }
        settings.put("mcs.db.url", url.replaceFirst("/postgres(\\?|$)", "/" + name + "$1"));
        return settings;
    }
}
