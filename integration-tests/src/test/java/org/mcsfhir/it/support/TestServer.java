package org.mcsfhir.it.support;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.specification.RequestSpecification;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one server every IT class of a Failsafe run talks to, started on first use and stopped when the test JVM
 * exits. The database comes from {@code -Dmcs.it.database}: {@code h2} (the embedded default, in a temporary data
 * directory) or {@code postgres} (a real PostgreSQL 17 started here from Maven Central binaries).
 */
public final class TestServer {

    /** The one browser origin the test servers allow (CORS). */
    public static final String ALLOWED_ORIGIN = "https://app.example.org";

    /** The setting that holds a server's MLLP port ({@link #settingsFor} picks a free one). */
    public static final String MLLP_PORT = "mcs.telemetry.mllp.port";

    private static ServerProcess server;
    private static Map<String, String> sharedSettings;
    private static EmbeddedPostgres postgres;

    private TestServer() {}

    public static synchronized ServerProcess get() {
        if (server == null) {
            sharedSettings = settingsFor(database());
            server = ServerProcess.start("server-" + database(), sharedSettings);
            Runtime.getRuntime().addShutdownHook(new Thread(TestServer::shutdown));
        }
        return server;
    }

    /** A REST Assured request against the shared server's FHIR base, JSON by default. */
    public static RequestSpecification fhir() {
        return RestAssured.given(new RequestSpecBuilder()
                .setBaseUri(get().fhirBase())
                .setContentType("application/fhir+json")
                .setAccept("application/fhir+json")
                .build());
    }

    /** The MLLP port of the shared server. */
    public static synchronized int mllpPort() {
        get();
        return Integer.parseInt(sharedSettings.get(MLLP_PORT));
    }

    public static String database() {
        return System.getProperty("mcs.it.database", "h2");
    }

    /** Settings for a server on a fresh, empty database of the given kind. */
    public static Map<String, String> settingsFor(String database) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mcs.data-dir", newDataDir().toString());
        // a browser app's origin (BrowserAndClientConventionsIT); no other test sends an Origin header
        settings.put("mcs.fhir.cors.allowed-origins", ALLOWED_ORIGIN);
        // HL7 v2 over MLLP with the sender of docs/telemetry.md's example (MllpIT replays it), short idle timeout
        settings.put(MLLP_PORT, Integer.toString(ServerProcess.freePort()));
        settings.put("mcs.telemetry.mllp.senders[0].facility", "CENTRE1-ICU");
        settings.put("mcs.telemetry.mllp.senders[0].application", "PUMP-GATEWAY");
        settings.put("mcs.telemetry.mllp.senders[0].centre", "mcs-example-centre-1");
        settings.put("mcs.telemetry.mllp.senders[1].facility", "CENTRE2-ICU");
        settings.put("mcs.telemetry.mllp.senders[1].centre", "mcs-example-centre-2");
        settings.put("mcs.telemetry.mllp.idle-timeout", "5s");
        if (database.equals("postgres")) {
            settings.putAll(OwnDatabase.postgresSettings(startPostgres()));
        }
        return settings;
    }

    public static Path newDataDir() {
        try {
            return Files.createTempDirectory("mcs-fhir-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized EmbeddedPostgres startPostgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start embedded PostgreSQL", e);
            }
        }
        return postgres;
    }

    private static void shutdown() {
        if (server != null) {
            server.close();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException ignored) {
                // the JVM is exiting; the temporary cluster is removed with it
            }
        }
    }
}
