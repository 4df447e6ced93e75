package org.mcsfhir.server.telemetry.mllp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MLLP listener's TLS: PKCS#12 stores from configuration, client certificates required. */
class ListenerSocketsTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;

    private static ServerSocket server;
    private static final ExecutorService acceptor = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void stores() throws Exception {
        keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-validity",
                "2",
                "-keystore",
                "server.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "client",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=gateway",
                "-validity",
                "2",
                "-keystore",
                "client.p12");
        keytool("-exportcert", "-alias", "server", "-keystore", "server.p12", "-file", "server.crt");
        keytool("-exportcert", "-alias", "client", "-keystore", "client.p12", "-file", "client.crt");
        keytool("-importcert", "-noprompt", "-alias", "client", "-file", "client.crt", "-keystore", "clients.p12");
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", "server.crt", "-keystore", "servers.p12");

        ListenerSockets sockets = new ListenerSockets(
                InetAddress.getLoopbackAddress(),
                4,
                new MllpProperties.Tls(
                        dir.resolve("server.p12").toString(),
                        PASSWORD,
                        dir.resolve("clients.p12").toString(),
                        PASSWORD));
        server = sockets.createTlsServerSocket();
        server.bind(new InetSocketAddress(0));
        acceptor.submit(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    int b = socket.getInputStream().read(); // completes the handshake
                    socket.getOutputStream().write(b);
                } catch (IOException refused) {
                    // a client without certificate: handshake failed
                }
            }
            return null;
        });
    }

    @AfterAll
    static void close() throws IOException {
        server.close();
        acceptor.shutdownNow();
    }

    @Test
    void aClientWithACertificateTheTrustStoreKnows_isServed() throws Exception {
        try (Socket socket = client(true).getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(0x0b);
            assertThat(socket.getInputStream().read()).isEqualTo(0x0b);
        }
    }

    @Test
    void aClientWithoutCertificate_isRefusedInTheHandshake() throws Exception {
        try (Socket socket = client(false).getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
            socket.setSoTimeout(10_000);
            assertThatThrownBy(() -> {
                        socket.getOutputStream().write(0x0b);
                        InputStream in = socket.getInputStream();
                        if (in.read() == -1) {
                            throw new IOException("closed by the server");
                        }
                    })
                    .isInstanceOf(IOException.class);
        }
    }

    private static SSLContext client(boolean withCertificate) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load("servers.p12"));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load("client.p12"), PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(withCertificate ? keys.getKeyManagers() : null, trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(String name) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }
}
