package org.mcsfhir.it.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mcsfhir.it.telemetry.Mllp.obx;
import static org.mcsfhir.it.telemetry.Mllp.oru;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.support.OwnDatabase;
import org.mcsfhir.it.support.ServerProcess;
import org.mcsfhir.it.support.TestServer;

/**
 * HL7 v2 over MLLP-over-TLS against a server of its own: PKCS#12 stores made here with the JDK's {@code keytool}
 * (a server key, and a trust store holding the one client certificate allowed), HAPI's client connection over TLS,
 * and a small {@code max-connections} so that the connection limit can be shown on the same server.
 *
 * <p>Run on H2 only: TLS and the connection limit sit in front of storage, and storing MLLP messages on PostgreSQL is
 * covered by {@code MllpIT}; a second server start for the same handshakes cost ~75 s of every {@code verify}.
 */
@Tag("h2-only")
class MllpTlsIT {

    private static final String FACILITY = "TLS-ICU";
    private static final String CENTRE = "tls-centre";
    private static final String PASSWORD = "changeit";
    private static final int MAX_CONNECTIONS = 3;
    /** How long a client waits for an acknowledgement that a refused connection will never bring. */
    private static final Duration REFUSED_WAIT = Duration.ofSeconds(5);

    private static Path stores;
    private static ServerProcess server;
    private static int mllpPort;
    private static OwnDatabase database;

    @BeforeAll
    static void start() throws Exception {
        stores = Files.createTempDirectory("mcs-mllp-tls-");
        keyPair("server", "CN=localhost");
        keyPair("client", "CN=pump-gateway.centre1.example");
        trust("server", "client-trust");
        trust("client", "server-trust");

        database = OwnDatabase.start();
        Map<String, String> settings = database.settings();
        mllpPort = ServerProcess.freePort();
        settings.put(TestServer.MLLP_PORT, Integer.toString(mllpPort));
        settings.put("mcs.telemetry.mllp.senders[0].facility", FACILITY);
        settings.put("mcs.telemetry.mllp.senders[0].centre", CENTRE);
        settings.put("mcs.telemetry.mllp.max-connections", Integer.toString(MAX_CONNECTIONS));
        settings.put("mcs.telemetry.mllp.idle-timeout", "10s");
        settings.put(
                "mcs.telemetry.mllp.tls.key-store", stores.resolve("server.p12").toString());
        settings.put("mcs.telemetry.mllp.tls.key-store-password", PASSWORD);
        settings.put(
                "mcs.telemetry.mllp.tls.trust-store",
                stores.resolve("server-trust.p12").toString());
        settings.put("mcs.telemetry.mllp.tls.trust-store-password", PASSWORD);
        server = ServerProcess.start("mllp-tls-" + TestServer.database(), settings);
    }

    @AfterAll
    static void stop() throws IOException {
        OwnDatabase.close(server, database);
    }

    @Test
    void withClientCertificate_messageIsAcknowledgedAA_andStored() throws Exception {
        String serial = ownedPump();
        Instant t = Telemetry.recentHour().minus(Duration.ofMinutes(40));
        try (Mllp client = new Mllp(mllpPort, tls(true), Duration.ofSeconds(60))) {
            Mllp.Ack ack = client.send(oru(
                    FACILITY,
                    "GW",
                    Telemetry.unique("tls"),
                    List.of(obx("NA", "pump-flow", "3.1^3.2^3.3", "L/min", t, serial))));
            assertThat(ack.code()).as(ack.text()).isEqualTo("AA");
            assertThat(ack.text()).isEqualTo("accepted 3, duplicates 0, conflicts 0");
        }
        assertThat(pump(serial).series("pump-flow", t, 3)).containsExactly("3.1", "3.2", "3.3");
    }

    @Test
    void withoutClientCertificate_handshakeIsRefused_andNothingIsStored() throws Exception {
        String serial = ownedPump();
        Instant t = Telemetry.recentHour().minus(Duration.ofMinutes(30));
        try (SSLSocket socket = (SSLSocket) tls(false).getSocketFactory().createSocket("127.0.0.1", mllpPort)) {
            socket.setSoTimeout(15_000);
            // TLS 1.3: the client's side of the handshake completes; the server's refusal arrives as an alert
            assertThatThrownBy(() -> {
                        socket.startHandshake();
                        socket.getInputStream().read();
                    })
                    .as("handshake without a client certificate")
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("certificate");
        }
        try (Mllp client = new Mllp(mllpPort, tls(false), REFUSED_WAIT)) {
            assertThatThrownBy(() -> client.send(oru(
                            FACILITY,
                            "GW",
                            Telemetry.unique("nocert"),
                            List.of(obx("NM", "pump-flow", "3.4", "L/min", t, serial)))))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(pump(serial).series("pump-flow", t, 1)).containsExactly("E");
    }

    @Test
    void plainTextClient_onTheTlsPort_getsNoAnswer_andNothingIsStored() throws Exception {
        String serial = ownedPump();
        Instant t = Telemetry.recentHour().minus(Duration.ofMinutes(20));
        try (Mllp client = new Mllp(mllpPort, null, REFUSED_WAIT)) {
            assertThatThrownBy(() -> client.send(oru(
                            FACILITY,
                            "GW",
                            Telemetry.unique("plain"),
                            List.of(obx("NM", "pump-flow", "3.5", "L/min", t, serial)))))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(pump(serial).series("pump-flow", t, 1)).containsExactly("E");
    }

    @Test
    void oneConnectionMoreThanMaxConnections_isClosed_whileTheOthersAreStillAcknowledged() throws Exception {
        String serial = ownedPump();
        Instant t0 = Telemetry.recentHour().minus(Duration.ofMinutes(10));
        List<Mllp> clients = new ArrayList<>();
        try {
            for (int c = 0; c < MAX_CONNECTIONS; c++) {
                clients.add(new Mllp(mllpPort, tls(true), Duration.ofSeconds(60)));
            }
            // each one answered: all of them accepted before the extra one connects
            for (int c = 0; c < MAX_CONNECTIONS; c++) {
                assertThat(sendFlow(clients.get(c), serial, t0.plusSeconds(c)).code())
                        .isEqualTo("AA");
            }
            try (Mllp extra = new Mllp(mllpPort, tls(true), REFUSED_WAIT)) {
                assertThatThrownBy(() -> sendFlow(extra, serial, t0.plusSeconds(30)))
                        .as("connection " + (MAX_CONNECTIONS + 1))
                        .isInstanceOf(IllegalStateException.class);
            }
            for (int c = 0; c < MAX_CONNECTIONS; c++) {
                assertThat(sendFlow(clients.get(c), serial, t0.plusSeconds(10 + c))
                                .code())
                        .isEqualTo("AA");
            }
        } finally {
            for (Mllp client : clients) {
                client.close();
            }
        }
        String[] flow = pump(serial).series("pump-flow", t0, 31);
        assertThat(flow[30]).as("the extra connection's sample").isEqualTo("E");
        assertThat(List.of(flow[0], flow[1], flow[2], flow[10], flow[11], flow[12]))
                .containsOnly("3.6");
    }

    private static Mllp.Ack sendFlow(Mllp client, String serial, Instant time) {
        return client.send(oru(
                FACILITY,
                "GW",
                Telemetry.unique("max"),
                List.of(obx("NM", "pump-flow", "3.6", "L/min", time, serial))));
    }

    private static Telemetry.Pump pump(String serial) {
        return new Telemetry.Pump(server.fhirBase(), serial, null, null);
    }

    /** A pump of the sender's centre (the sender may write only for its centre's pumps). */
    private static String ownedPump() {
        return Telemetry.ownedPump(server.fhirBase(), "tls", CENTRE, "TLS test centre", "female", "1966-05-12");
    }

    /** The client's TLS: trusts the server's certificate, presents the client certificate when asked to. */
    private static SSLContext tls(boolean withClientCertificate) throws GeneralSecurityException, IOException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load("client-trust"));
        KeyManager[] keys = null;
        if (withClientCertificate) {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(load("client"), PASSWORD.toCharArray());
            keys = factory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(String name) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(stores.resolve(name + ".p12"))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    /** A self-signed EC key pair and certificate in {@code <name>.p12}, and its certificate in {@code <name>.pem}. */
    private static void keyPair(String name, String subject) throws IOException, InterruptedException {
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                subject,
                "-ext",
                "san=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                name + ".p12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                name,
                "-keystore",
                name + ".p12",
                "-storepass",
                PASSWORD,
                "-file",
                name + ".pem");
    }

    /** A PKCS#12 trust store holding the certificate of {@code name}. */
    private static void trust(String name, String store) throws IOException, InterruptedException {
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                name,
                "-file",
                name + ".pem",
                "-storetype",
                "PKCS12",
                "-keystore",
                store + ".p12",
                "-storepass",
                PASSWORD);
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .directory(stores.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }
}
