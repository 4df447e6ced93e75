package org.mcsfhir.server.telemetry.mllp;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.SimpleServer;
import ca.uhn.hl7v2.model.v26.message.ACK;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.GenericParser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The MLLP listener: HAPI's {@link SimpleServer} with HAPI's parser (v2.6 structures; OBX-5 left as text by
 * {@link Obx5TextParser}), {@link GuardedProtocol} for
 * frame size and idle limits and {@link ListenerSockets} for the address, TLS and connection limit. A frame that
 * does not even hold an MSH is answered AR by {@link #unparseable}. Starts after the guide is installed, stops before
 * the database.
 */
final class MllpListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MllpListener.class);

    private final MllpProperties properties;
    private final InetAddress address;
    private final Pcd01Application application;
    private HapiContext context;
    private SimpleServer server;
    private ExecutorService threads;

    MllpListener(MllpProperties properties, InetAddress address, Pcd01Application application) {
        this.properties = properties;
        this.address = address;
        this.application = application;
    }

    @Override
    public synchronized void start() {
        ListenerSockets sockets;
        try {
            sockets = new ListenerSockets(address, properties.maxConnections(), properties.tls());
            probe(sockets);
        } catch (IllegalArgumentException | IOException e) {
            throw new IllegalStateException(
                    "MCS-0744: the MLLP listener cannot start on port " + properties.port() + ": " + e.getMessage(), e);
        }
        threads = Executors.newCachedThreadPool(named());
        context = new ListenerContext();
        context.setExecutorService(threads);
        context.setModelClassFactory(new CanonicalModelClassFactory(Pcd01Application.VERSION));
        // the application checks what it needs and names the field; HAPI's generic rules would refuse PCD-01 DTMs
        context.setValidationContext(ValidationContextFactory.noValidation());
        // HAPI's default numbers acknowledgements through a file in the working directory
        context.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        context.setLowerLayerProtocol(new GuardedProtocol(
                properties.maxFrameSize().toBytes(), properties.idleTimeout().toMillis()));
        context.setSocketFactory(sockets);
        server = new SimpleServer(context, properties.port(), sockets.tls());
        server.registerApplication("*", "*", application);
        server.setExceptionHandler(this::unparseable);
        try {
            server.startAndWait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the MLLP listener", e);
        }
        if (server.getServiceExitedWithException() != null) {
            throw new IllegalStateException(
                    "MCS-0744: the MLLP listener cannot start on port " + properties.port(),
                    server.getServiceExitedWithException());
        }
        log.info(
                "HL7 v2 MLLP listener on {}:{} ({}, {} senders configured)",
                address == null ? "*" : address.getHostAddress(),
                properties.port(),
                sockets.tls() ? "TLS, client certificates required" : "plain TCP",
                properties.senders().size());
    }

    /** HAPI binds in its acceptor thread and only logs a failure there; binding once here fails the start-up. */
    private void probe(ListenerSockets sockets) throws IOException {
        try (ServerSocket socket = sockets.createServerSocket()) {
            socket.bind(new InetSocketAddress(properties.port()));
        }
    }

    /** HAPI answers a parse failure itself (AE naming the problem) when it can read MSH; otherwise this AR. */
    private String unparseable(String incoming, Map<String, Object> metadata, String outgoing, Exception e) {
        if (outgoing != null) {
            return outgoing;
        }
        try {
            ACK ack = new ACK();
            ack.setParser(context.getPipeParser());
            ack.initQuickstart("ACK", "", "P");
            HL7Exception problem = new HL7Exception(
                    "MCS-0740: not an HL7 v2 message (no readable MSH segment)", ErrorCode.SEGMENT_SEQUENCE_ERROR);
            problem.populateResponse(ack, AcknowledgmentCode.AR, 0);
            return context.getPipeParser().encode(ack);
        } catch (HL7Exception | IOException failed) {
            return "MSH|^~\\&|||||||ACK|0|P|2.6\rMSA|AR|\r";
        }
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stopAndWait();
            server = null;
        }
        if (threads != null) {
            threads.shutdownNow();
            threads = null;
        }
        if (context != null) {
            try {
                context.close();
            } catch (IOException e) {
                log.debug("closing the HL7 context", e);
            }
            context = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** HAPI's context whose parser, the one HAPI's server parses every message with, is {@link Obx5TextParser}. */
    private static final class ListenerContext extends DefaultHapiContext {

        private GenericParser parser;

        @Override
        public synchronized GenericParser getGenericParser() {
            if (parser == null) {
                parser = new Obx5TextParser(this);
            }
            return parser;
        }
    }

    private static ThreadFactory named() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "mllp-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
