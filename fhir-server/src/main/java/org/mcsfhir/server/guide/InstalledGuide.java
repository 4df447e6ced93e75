package org.mcsfhir.server.guide;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Which content of the guide package this database holds: its SHA-256 per package id, in table
 * {@code mcs_guide_install}, written after a complete installation. A start that finds the same hash skips HAPI's
 * installer, which otherwise parses and compares every resource of the package again (14–28 s of each start measured
 * on 2 cores). Shared by all nodes on one database; a node that races another simply installs as well.
 */
final class InstalledGuide {

    private final DataSource dataSource;
    private final Clock clock;

    InstalledGuide(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    boolean holds(String packageId, String sha256) {
        try (Connection connection = dataSource.getConnection()) {
            createTable(connection);
            try (PreparedStatement query =
                    connection.prepareStatement("SELECT content_sha256 FROM mcs_guide_install WHERE package_id = ?")) {
                query.setString(1, packageId);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() && sha256.equals(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            return false; // install as before; the record is only a shortcut
        }
    }

    void record(String packageId, String sha256) {
        try (Connection connection = dataSource.getConnection()) {
            createTable(connection);
            connection.setAutoCommit(false);
            try (PreparedStatement delete =
                            connection.prepareStatement("DELETE FROM mcs_guide_install WHERE package_id = ?");
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO mcs_guide_install "
                            + "(package_id, content_sha256, installed_at) VALUES (?, ?, ?)")) {
                delete.setString(1, packageId);
                delete.executeUpdate();
                insert.setString(1, packageId);
                insert.setString(2, sha256);
                insert.setTimestamp(3, Timestamp.from(clock.instant()));
                insert.executeUpdate();
                connection.commit();
            } catch (SQLException raceLost) {
                connection.rollback(); // another node recorded the same installation
            }
        } catch (SQLException e) {
            // not recorded: the next start installs again, as it always did
        }
    }

    private static void createTable(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS mcs_guide_install (package_id VARCHAR(128) NOT NULL "
                    + "PRIMARY KEY, content_sha256 VARCHAR(64) NOT NULL, installed_at TIMESTAMP NOT NULL)");
        }
    }
}
