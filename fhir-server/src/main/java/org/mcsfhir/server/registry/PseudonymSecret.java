package org.mcsfhir.server.registry;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key of the pseudonyms. A configured {@code mcs.registry.pseudonym-secret} wins. Without one, a random 256-bit
 * key is generated once and kept in the database (table {@code mcs_registry_secret}), so pseudonyms stay the same
 * across restarts and nodes of this deployment and differ from any other deployment; a warning says so, because a
 * key kept beside the data it protects is weaker than one kept in a secret store.
 */
final class PseudonymSecret {

    private static final Logger log = LoggerFactory.getLogger(PseudonymSecret.class);

    private PseudonymSecret() {}

    static byte[] resolve(RegistryProperties properties, DataSource dataSource) {
        if (!properties.pseudonymSecret().isEmpty()) {
            return properties.pseudonymSecret().getBytes(StandardCharsets.UTF_8);
        }
        log.warn("MCS-0810: mcs.registry.pseudonym-secret is not set; pseudonyms use a key generated for this "
                + "deployment and stored in its database (table mcs_registry_secret). Set "
                + "MCS_REGISTRY_PSEUDONYM_SECRET (at least 32 characters, from a secret store) in production.");
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS mcs_registry_secret "
                        + "(id INTEGER NOT NULL PRIMARY KEY, secret VARCHAR(128) NOT NULL)");
            }
            String stored = read(connection);
            if (stored == null) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                try (PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO mcs_registry_secret (id, secret) VALUES (1, ?)")) {
                    insert.setString(1, Base64.getEncoder().encodeToString(random));
                    insert.executeUpdate();
                } catch (SQLException raceLost) {
                    // another node inserted first: use its key
                }
                stored = read(connection);
            }
            if (stored == null) {
                throw new IllegalStateException("could not store or read the generated pseudonym key");
            }
            return Base64.getDecoder().decode(stored);
        } catch (SQLException e) {
            throw new IllegalStateException("could not keep the generated pseudonym key in the database", e);
        }
    }

    private static String read(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT secret FROM mcs_registry_secret WHERE id = 1")) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
