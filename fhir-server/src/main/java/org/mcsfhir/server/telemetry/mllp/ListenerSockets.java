package org.mcsfhir.server.telemetry.mllp;

import ca.uhn.hl7v2.util.SocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sockets HAPI's acceptor uses: bound to {@code server.address} (HAPI itself binds every interface), TLS with
 * required client certificates when a key store is configured, and at most {@code maxConnections} open connections
 * (one more is closed as soon as it is accepted).
 */
final class ListenerSockets implements SocketFactory {

    private static final Logger log = LoggerFactory.getLogger(ListenerSockets.class);
    /** Short, so that {@link GuardedInputStream} can check the idle time; never seen by HAPI's decoder. */
    private static final int READ_POLL_MS = 1000;

    private final InetAddress address;
    private final int maxConnections;
    private final SSLContext tls;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    ListenerSockets(InetAddress address, int maxConnections, MllpProperties.Tls tls) {
        this.address = address;
        this.maxConnections = maxConnections;
        this.tls = tls.enabled() ? sslContext(tls) : null;
    }

    @Override
    public Socket createSocket() {
        return new Socket();
    }

    @Override
    public Socket createTlsSocket() throws IOException {
        return tls.getSocketFactory().createSocket();
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new BoundServerSocket(new ServerSocket(), address);
    }

    @Override
    public ServerSocket createTlsServerSocket() throws IOException {
        SSLServerSocket socket = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
        socket.setNeedClientAuth(true);
        return new BoundServerSocket(socket, address);
    }

    @Override
    public void configureNewAcceptedSocket(Socket socket) throws SocketException {
        open.removeIf(Socket::isClosed);
        if (open.size() >= maxConnections) {
            log.warn(
                    "MCS-0737: {} MLLP connections open (mcs.telemetry.mllp.max-connections): closing the one from {}",
                    open.size(),
                    socket.getRemoteSocketAddress());
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            return;
        }
        open.add(socket);
        socket.setSoTimeout(READ_POLL_MS);
        socket.setTcpNoDelay(true);
    }

    boolean tls() {
        return tls != null;
    }

    private static SSLContext sslContext(MllpProperties.Tls tls) {
        if (tls.trustStore().isBlank()) {
            throw new IllegalArgumentException("mcs.telemetry.mllp.tls.trust-store is required with a key store: "
                    + "client certificates are verified against it");
        }
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(
                    load(tls.keyStore(), tls.keyStorePassword()),
                    tls.keyStorePassword().toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(tls.trustStore(), tls.trustStorePassword()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(
                    "mcs.telemetry.mllp.tls: cannot load the PKCS#12 stores: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String path, String password) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    /**
     * A server socket that binds to the configured address whatever address HAPI asks for; everything else goes to the
     * wrapped (plain or TLS) socket.
     */
    private static final class BoundServerSocket extends ServerSocket {

        private final ServerSocket delegate;
        private final InetAddress address;

        BoundServerSocket(ServerSocket delegate, InetAddress address) throws IOException {
            this.delegate = delegate;
            this.address = address;
        }

        @Override
        public void bind(SocketAddress endpoint, int backlog) throws IOException {
            int port = ((InetSocketAddress) endpoint).getPort();
            delegate.setReuseAddress(true);
            delegate.bind(new InetSocketAddress(address, port), backlog);
        }

        @Override
        public Socket accept() throws IOException {
            return delegate.accept();
        }

        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            delegate.setSoTimeout(timeout);
        }

        @Override
        public int getLocalPort() {
            return delegate.getLocalPort();
        }

        @Override
        public boolean isBound() {
            return delegate.isBound();
        }

        @Override
        public boolean isClosed() {
            return delegate.isClosed();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
            super.close();
        }
    }
}
