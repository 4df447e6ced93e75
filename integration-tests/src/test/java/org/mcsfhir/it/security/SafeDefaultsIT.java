package org.mcsfhir.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.ServerProcess;
import org.mcsfhir.it.support.TestServer;

/**
 * Without an issuer the server is open: it then starts only on loopback (the default, which every other IT uses)
 * with a loud warning, and refuses to start on any other address.
 */
@Tag("h2-only")
class SafeDefaultsIT {

    @Test
    void withoutIssuer_onANonLoopbackAddress_theServerRefusesToStart() throws Exception {
        Map<String, String> settings =
                Map.of("mcs.data-dir", TestServer.newDataDir().toString(), "server.address", "0.0.0.0");
        assertThatThrownBy(() ->
                        ServerProcess.start("open-on-all-interfaces", settings).close())
                .hasMessageContaining("exited");
        String log = Files.readString(
                Path.of(System.getProperty("mcs.it.logs", "target/it-logs"), "open-on-all-interfaces.log"));
        assertThat(log).contains("MCS-0001: refusing to start: no OAuth2 issuer is configured");
    }

    @Test
    void withoutIssuer_onLoopback_theServerRunsOpenWithALoudWarning() throws Exception {
        TestServer.fhir().get("/metadata").then().statusCode(200);
        TestServer.fhir().get("/Patient?_summary=count").then().statusCode(200);
        String log = Files.readString(Path.of(
                System.getProperty("mcs.it.logs", "target/it-logs"), "server-" + TestServer.database() + ".log"));
        assertThat(log).contains("SECURITY OFF: no OAuth2 issuer configured");
    }
}
