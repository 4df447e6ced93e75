package org.mcsfhir.it.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fresh database for a test class's own server (one with settings the shared {@link TestServer} must not have): H2
 * in a new data directory, or in the PostgreSQL run an embedded PostgreSQL of its own, closed with the class. Shared
 * so that every such class starts its database the same way.
 */
public final class OwnDatabase implements Closeable {

    private final Map<String, String> settings;
    private final EmbeddedPostgres postgres;

    private OwnDatabase(Map<String, String> settings, EmbeddedPostgres postgres) {
        this.settings = settings;
        this.postgres = postgres;
    }

    /** Starts the database of the run's kind ({@link TestServer#database()}). */
    public static OwnDatabase start() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mcs.data-dir", TestServer.newDataDir().toString());
        EmbeddedPostgres postgres = null;
        if (TestServer.database().equals("postgres")) {
            postgres = EmbeddedPostgres.builder().start();
            settings.putAll(postgresSettings(postgres));
        }
        return new OwnDatabase(settings, postgres);
    }

    /** The settings that point a server at an embedded PostgreSQL (the "postgres" profile). */
    public static Map<String, String> postgresSettings(EmbeddedPostgres postgres) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spring.profiles.active", "postgres");
        settings.put("mcs.db.url", postgres.getJdbcUrl("postgres", "postgres"));
        settings.put("mcs.db.user", "postgres");
        settings.put("mcs.db.password", "");
        return settings;
    }

    /** The server settings for this database, in a new map for the caller's own settings to follow. */
    public Map<String, String> settings() {
        return new LinkedHashMap<>(settings);
    }

    /** Stops a class's own server, then its database; either is null when the class's start-up failed before it. */
    public static void close(ServerProcess server, OwnDatabase database) throws IOException {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
