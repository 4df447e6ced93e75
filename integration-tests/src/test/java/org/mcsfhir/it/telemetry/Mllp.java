package org.mcsfhir.it.telemetry;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.llp.LLPException;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.StandardSocketFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * An HL7 v2 sender over MLLP (plain or TLS) with HAPI's own client ({@link HapiContext#newClient}, through its
 * connection hub), and PCD-01 ORU^R01 messages to send with it.
 */
final class Mllp implements AutoCloseable {

    static final DateTimeFormatter DTM =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ").withZone(ZoneOffset.UTC);

    private final HapiContext context = new DefaultHapiContext();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "mllp-client");
        thread.setDaemon(true);
        return thread;
    });
    private final int port;
    private final boolean tls;
    private final Duration timeout;
    private Connection connection;

    Mllp(int port) {
        this(port, null, Duration.ofSeconds(60));
    }

    /**
     * A sender over TLS when {@code tls} is given (its key managers hold the client certificate, if any), waiting at
     * most {@code timeout} for each acknowledgement.
     */
    Mllp(int port, SSLContext tls, Duration timeout) {
        this.port = port;
        this.tls = tls != null;
        this.timeout = timeout;
        context.setValidationContext(ValidationContextFactory.noValidation());
        // a pool of its own: closing the context shuts its pool down, and HAPI's default pool is shared by all
        context.setExecutorService(threads);
        if (tls != null) {
            context.setSocketFactory(new StandardSocketFactory() {
                @Override
                public Socket createTlsSocket() throws IOException {
                    return tls.getSocketFactory().createSocket();
                }
            });
        }
        connect();
    }

    /** Through the context's hub, which replaces a connection the server has closed (idle timeout) by a new one. */
    private void connect() {
        try {
            connection = context.newClient("127.0.0.1", port, tls);
        } catch (HL7Exception e) {
            throw new IllegalStateException("cannot connect to the MLLP port " + port, e);
        }
        connection.getInitiator().setTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends one message (segments separated by \r or \n) and returns the acknowledgement. */
    synchronized Ack send(String text) {
        try {
            if (!connection.isOpen()) {
                connect();
            }
            Message message = context.getPipeParser()
                    .parse(text.strip().replace("\r\n", "\r").replace('\n', '\r'));
            return new Ack(connection.getInitiator().sendAndReceive(message));
        } catch (HL7Exception | LLPException | IOException e) {
            throw new IllegalStateException("sending failed", e);
        }
    }

    @Override
    public void close() throws IOException {
        connection.close();
        context.close();
    }

    /** The answer: MSA-1, MSA-3 and the first ERR's location, code and text. */
    record Ack(Message message) {
        String get(String path) {
            try {
                return new Terser(message).get(path);
            } catch (HL7Exception e) {
                throw new IllegalStateException(e);
            }
        }

        String code() {
            return get("/MSA-1");
        }

        String text() {
            return get("/MSA-3");
        }

        /** e.g. {@code OBX 3 6} for OBX #3, field 6 */
        String errorLocation() {
            return get("/ERR-2-1") + " " + get("/ERR-2-2") + " " + get("/ERR-2-3");
        }

        String errorCode() {
            return get("/ERR-3-1");
        }

        String errorText() {
            return get("/ERR-8");
        }
    }

    static String dtm(Instant time) {
        return DTM.format(time);
    }

    /** A PCD-01 ORU^R01 from a configured sender with the given OBX segments (without their set id). */
    static String oru(String facility, String application, String controlId, List<String> observations) {
        StringBuilder message = new StringBuilder("MSH|^~\\&|" + application + "|" + facility + "|MCS-FHIR|MCS|"
                + dtm(Instant.now()) + "||ORU^R01^ORU_R01|" + controlId + "|P|2.6|||NE|AL||UNICODE UTF-8|||"
                + "IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\r"
                + "PID|||IT-PAT^^^IT^MR\r"
                + "OBR|1|" + controlId + "^GW|" + controlId + "^GW|182777000^monitoring of patient^SCT\r");
        for (int i = 0; i < observations.size(); i++) {
            message.append("OBX|")
                    .append(i + 1)
                    .append('|')
                    .append(observations.get(i))
                    .append('\r');
        }
        return message.toString();
    }

    /** OBX-2.. of one numeric observation: type, channel, value(s), unit, time and pump. */
    static String obx(String type, String channel, String values, String unit, Instant time, String equipment) {
        return type + "|" + channel + "^" + channel + "^MCS|1.0.0.1|" + values + "|" + unit + "^" + unit
                + "^UCUM|||||R|||" + dtm(time) + "||||" + equipment;
    }

    /** The fenced {@code hl7} block of docs/telemetry.md that is the complete example message. */
    static String docsExample() {
        try {
            String docs = Files.readString(Path.of("..", "docs", "telemetry.md"));
            Matcher block =
                    Pattern.compile("```hl7\\n(MSH[^`]*?ORU\\^R01[^`]*?)```").matcher(docs);
            if (!block.find()) {
                throw new IllegalStateException("docs/telemetry.md has no hl7 block with an ORU^R01");
            }
            return block.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
