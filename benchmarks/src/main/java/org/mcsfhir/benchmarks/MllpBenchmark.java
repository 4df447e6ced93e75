package org.mcsfhir.benchmarks;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.llp.MinLLPReader;
import ca.uhn.hl7v2.llp.MinLLPWriter;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedInputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HL7 v2 (IHE PCD-01 ORU^R01 over MLLP) beside the NDJSON gateway, in one run against the packaged jar on an embedded
 * PostgreSQL 17 (fsync and synchronous_commit on): {@code bench.clients} NDJSON clients, then as many MLLP connections
 * (HAPI's client, one connection each), alternating for {@code bench.rounds} rounds of {@code bench.phase-seconds}
 * each after a warm-up of both. A request and a message carry the same values: {@code bench.lines-per-request}
 * seconds of all seven channels (NDJSON lines; MLLP one NA OBX per channel). Counts only values acknowledged after
 * commit (HTTP 200 / MSA-1 AA); prints values/s per phase, their medians, latency percentiles and the ratio.
 */
public final class MllpBenchmark {

    private static final String[] UNITS = {"L/min", "{level}", "mA", "mm[Hg]", "mL/h", "mm[Hg]", "/min"};
    private static final Pattern MSA_ACCEPTED = Pattern.compile("accepted (\\d+)");
    private static final DateTimeFormatter DTM =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ").withZone(ZoneOffset.UTC);
    private static final String FACILITY = "BENCH-ICU";
    private static final String CENTRE = "bench-centre";
    private static final boolean HAPI_CLIENT =
            "hapi".equals(System.getProperty("bench.mllp-client", "llp").trim());

    private final int clients = Integer.getInteger("bench.clients", 4);
    private final int linesPerRequest = Integer.getInteger("bench.lines-per-request", 500);
    private final int devices = Integer.getInteger("bench.devices", 20);
    private final int phaseSeconds = Integer.getInteger("bench.phase-seconds", 20);
    private final int rounds = Integer.getInteger("bench.rounds", 3);
    private BenchmarkServer server;
    private int mllpPort;
    private final String[] deviceIds = new String[devices];
    private final AtomicInteger nextDevice = new AtomicInteger();
    private NdjsonLoad gateway;
    private final Instant base = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(60));

    public static void main(String[] args) throws Exception {
        new MllpBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        Path work = Path.of(System.getProperty("bench.work-dir", "target/benchmark"));
        Files.createDirectories(work);
        try (ServerSocket socket = new ServerSocket(0)) {
            mllpPort = socket.getLocalPort();
        }
        try (EmbeddedPostgres postgres = BenchmarkServer.durablePostgres()) {
            server = BenchmarkServer.start(
                    postgres,
                    work.resolve("mllp"),
                    "--mcs.telemetry.mllp.port=" + mllpPort,
                    "--mcs.telemetry.mllp.senders[0].facility=" + FACILITY,
                    "--mcs.telemetry.mllp.senders[0].centre=" + CENTRE);
            try {
                measure();
            } finally {
                server.close();
            }
        }
    }

    private void measure() throws Exception {
        gateway = new NdjsonLoad(server.root(), deviceIds, base, linesPerRequest);
        server.put(
                "Organization/" + CENTRE,
                "{\"resourceType\":\"Organization\",\"id\":\"" + CENTRE + "\",\"name\":\"Benchmark centre\"}");
        for (int d = 0; d < devices; d++) {
            deviceIds[d] = "bench-mllp-pump-" + d;
            server.put(
                    "Patient/bench-mllp-patient-" + d,
                    "{\"resourceType\":\"Patient\",\"id\":\"bench-mllp-patient-" + d
                            + "\",\"gender\":\"male\",\"birthDate\":\"1958-01-01\",\"managingOrganization\":"
                            + "{\"reference\":\"Organization/" + CENTRE + "\"}}");
            server.put(
                    "Device/" + deviceIds[d],
                    "{\"resourceType\":\"Device\",\"id\":\"" + deviceIds[d]
                            + "\",\"serialNumber\":\"" + deviceIds[d] + "\",\"patient\":{\"reference\":"
                            + "\"Patient/bench-mllp-patient-" + d + "\"},\"owner\":{\"reference\":\"Organization/"
                            + CENTRE
                            + "\"}}");
        }
        System.out.printf(
                Locale.ROOT,
                "%nmcs-fhir MLLP benchmark: %d NDJSON clients / %d MLLP connections, %d seconds"
                        + " x 7 channels (%,d values) per request or message, %d devices, %d rounds of %d s,"
                        + " MLLP client %s, server %s%n",
                clients,
                clients,
                linesPerRequest,
                linesPerRequest * 7,
                devices,
                rounds,
                phaseSeconds,
                HAPI_CLIENT
                        ? "HAPI's client (parse + encode per message)"
                        : "HAPI's MLLP writer/reader (text as built)",
                System.getProperty("mcs.jvm.args"));
        List<Mllp> connections = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            connections.add(new Mllp(mllpPort));
        }
        try {
            System.out.printf(
                    Locale.ROOT,
                    "warm-up: NDJSON %,.0f values/s, MLLP %,.0f values/s%n",
                    phase(false, connections, 10).valuesPerSecond(),
                    phase(true, connections, 10).valuesPerSecond());
            List<LoadPhase> ndjson = new ArrayList<>();
            List<LoadPhase> mllp = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                LoadPhase n = phase(false, connections, phaseSeconds);
                LoadPhase m = phase(true, connections, phaseSeconds);
                ndjson.add(n);
                mllp.add(m);
                System.out.printf(
                        Locale.ROOT,
                        "round %d: NDJSON %,.0f values/s (%d errors, p50 %.0f ms, p99 %.0f ms)"
                                + " | MLLP %,.0f values/s (%d errors, p50 %.0f ms, p99 %.0f ms)%n",
                        r,
                        n.valuesPerSecond(),
                        n.errors.get(),
                        n.percentile(50),
                        n.percentile(99),
                        m.valuesPerSecond(),
                        m.errors.get(),
                        m.percentile(50),
                        m.percentile(99));
            }
            double ndjsonMedian = median(ndjson);
            double mllpMedian = median(mllp);
            System.out.printf(
                    Locale.ROOT,
                    "%n== NDJSON gateway median %,.0f values/s; MLLP median %,.0f values/s; "
                            + "MLLP / NDJSON %.0f %% (target >= 50 %%: %s); MLLP >= 20,000 values/s: %s ==%n%n",
                    ndjsonMedian,
                    mllpMedian,
                    100 * mllpMedian / ndjsonMedian,
                    mllpMedian >= ndjsonMedian / 2 ? "met" : "NOT met",
                    mllpMedian >= 20_000 ? "met" : "NOT met");
        } finally {
            for (Mllp connection : connections) {
                connection.close();
            }
        }
    }

    private LoadPhase phase(boolean overMllp, List<Mllp> connections, int seconds) throws Exception {
        Instant began = Instant.now();
        LoadPhase result = LoadPhase.run(clients, seconds, c -> {
            Mllp connection = connections.get(c);
            return phase -> {
                int d = Math.floorMod(nextDevice.getAndIncrement(), devices);
                long first = gateway.claim(d);
                long sent = System.nanoTime();
                long accepted = overMllp ? connection.send(oru(d, first)) : postNdjson(d, first);
                if (accepted >= 0) {
                    phase.record(System.nanoTime() - sent, accepted);
                    return true;
                }
                return phase.errors.incrementAndGet() <= 1000;
            };
        });
        // for matching a server profile to the phases
        System.out.printf(Locale.ROOT, "  %s phase %s .. %s%n", overMllp ? "MLLP" : "NDJSON", began, Instant.now());
        return result;
    }

    private long postNdjson(int d, long first) throws Exception {
        StringBuilder body = new StringBuilder(linesPerRequest * 200);
        gateway.appendLines(body, first);
        return NdjsonLoad.accepted(gateway.post(d, body.toString()));
    }

    /** One PCD-01 ORU^R01: per channel one NA observation of {@code linesPerRequest} one-second values. */
    private String oru(int d, long first) {
        String time = DTM.format(base.plusSeconds(first));
        StringBuilder message = new StringBuilder(linesPerRequest * 50);
        message.append("MSH|^~\\&|GW|")
                .append(FACILITY)
                .append("|MCS-FHIR|MCS|")
                .append(time)
                .append("||ORU^R01^ORU_R01|")
                .append(deviceIds[d])
                .append('-')
                .append(first)
                .append("|P|2.6|||NE|AL||UNICODE UTF-8|||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\r")
                .append("PID|||BENCH^^^BENCH^MR\rOBR|1|||182777000^monitoring of patient^SCT|||")
                .append(time)
                .append('\r');
        for (int c = 0; c < NdjsonLoad.CHANNELS.length; c++) {
            message.append("OBX|")
                    .append(c + 1)
                    .append("|NA|")
                    .append(NdjsonLoad.CHANNELS[c])
                    .append('^')
                    .append(NdjsonLoad.CHANNELS[c])
                    .append("^MCS|1.0.0.")
                    .append(c + 1)
                    .append('|');
            for (long s = first; s < first + linesPerRequest; s++) {
                message.append(s == first ? "" : "^").append(NdjsonLoad.value(c, s));
            }
            message.append('|')
                    .append(UNITS[c])
                    .append('^')
                    .append(UNITS[c])
                    .append("^UCUM|||||R|||")
                    .append(time)
                    .append("||||")
                    .append(deviceIds[d])
                    .append('\r');
        }
        return message.toString();
    }

    private static double median(List<LoadPhase> results) {
        List<Double> rates =
                new ArrayList<>(results.stream().map(LoadPhase::valuesPerSecond).toList());
        Collections.sort(rates);
        int n = rates.size();
        return n % 2 == 1 ? rates.get(n / 2) : (rates.get(n / 2 - 1) + rates.get(n / 2)) / 2;
    }

    /**
     * One MLLP connection. {@code bench.mllp-client=llp} (the default): the message text as built is framed and sent
     * by HAPI's own MLLP writer ({@link MinLLPWriter}) and the answer read by HAPI's MLLP reader and parsed by HAPI's
     * parser, as an integration engine sends text it already holds. {@code hapi}: HAPI's full client, which parses
     * every message into v2.6 structures and encodes it again before sending (what {@code MllpIT} uses).
     */
    private static final class Mllp implements AutoCloseable {
        private final HapiContext context = new DefaultHapiContext();
        private final Connection connection;
        private final Socket socket;
        private final MinLLPWriter writer;
        private final MinLLPReader reader;

        Mllp(int port) throws Exception {
            context.setValidationContext(ValidationContextFactory.noValidation());
            if (HAPI_CLIENT) {
                connection = context.newClient("127.0.0.1", port, false);
                connection.getInitiator().setTimeout(60, TimeUnit.SECONDS);
                socket = null;
                writer = null;
                reader = null;
            } else {
                connection = null;
                socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout(60_000);
                writer = new MinLLPWriter(socket.getOutputStream(), StandardCharsets.UTF_8, true);
                reader = new MinLLPReader(new BufferedInputStream(socket.getInputStream()), StandardCharsets.UTF_8);
            }
        }

        /** @return the values accepted, or -1 if the answer was not AA */
        long send(String text) {
            try {
                Message ack;
                if (HAPI_CLIENT) {
                    ack = connection
                            .getInitiator()
                            .sendAndReceive(context.getPipeParser().parse(text));
                } else {
                    writer.writeMessage(text);
                    ack = context.getPipeParser().parse(reader.getMessage());
                }
                Terser terser = new Terser(ack);
                Matcher accepted = MSA_ACCEPTED.matcher(String.valueOf(terser.get("/MSA-3")));
                return "AA".equals(terser.get("/MSA-1")) && accepted.find() ? Long.parseLong(accepted.group(1)) : -1;
            } catch (Exception e) {
                return -1;
            }
        }

        @Override
        public void close() throws Exception {
            if (connection != null) {
                connection.close();
            }
            if (socket != null) {
                socket.close();
            }
            context.close();
        }
    }
}
