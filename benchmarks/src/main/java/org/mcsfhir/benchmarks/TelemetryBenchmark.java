package org.mcsfhir.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Telemetry ingest on a 2-core machine: the packaged server jar on an embedded PostgreSQL 17 (synchronous_commit on,
 * so an acknowledged sample is on disk), loaded by {@code bench.clients} gateway clients sending NDJSON requests of
 * {@code bench.lines-per-request} lines with all seven channels, for {@code bench.ingest-seconds}. In the same run,
 * the naive path: one Observation per value in 100-entry transaction Bundles. Prints values/s (acknowledged after
 * commit), request latency percentiles, the server's RSS, how far window materialization lags, and the time to read
 * 24 h of one channel at 1 Hz through {@code $telemetry-series}. Every loop is bounded in time and talks only to
 * 127.0.0.1.
 */
public final class TelemetryBenchmark {

    private final int clients = Integer.getInteger("bench.clients", 4);
    private final int linesPerRequest = Integer.getInteger("bench.lines-per-request", 500);
    private final int devices = Integer.getInteger("bench.devices", 20);
    private final int ingestSeconds = Integer.getInteger("bench.ingest-seconds", 60);
    private final int naiveSeconds = Integer.getInteger("bench.naive-seconds", 30);
    private String root;
    private String fhir;
    private BenchmarkServer server;
    private DataSource database;

    public static void main(String[] args) throws Exception {
        new TelemetryBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        Path work = Path.of(System.getProperty("bench.work-dir", "target/benchmark"));
        Files.createDirectories(work);
        try (EmbeddedPostgres postgres = BenchmarkServer.durablePostgres()) {
            try (var connection = postgres.getPostgresDatabase().getConnection();
                    var settings = connection
                            .createStatement()
                            .executeQuery(
                                    "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', "
                                            + "'server_version') ORDER BY name")) {
                StringBuilder shown = new StringBuilder("embedded PostgreSQL:");
                while (settings.next()) {
                    shown.append(' ').append(settings.getString(1)).append('=').append(settings.getString(2));
                }
                System.out.println(shown);
            }
            server = BenchmarkServer.start(postgres, work.resolve("telemetry"));
            database = postgres.getDatabase("postgres", "telemetry");
            root = server.root();
            fhir = server.fhir();
            try {
                measure();
            } finally {
                server.close();
            }
        }
    }

    private void measure() throws Exception {
        String[] deviceIds = new String[devices];
        for (int d = 0; d < devices; d++) {
            deviceIds[d] = "bench-pump-" + d;
            server.put(
                    "Patient/bench-patient-" + d,
                    "{\"resourceType\":\"Patient\",\"id\":\"bench-patient-" + d
                            + "\",\"gender\":\"male\",\"birthDate\":\"1958-01-01\"}");
            server.put(
                    "Device/" + deviceIds[d],
                    "{\"resourceType\":\"Device\",\"id\":\"" + deviceIds[d]
                            + "\",\"patient\":{\"reference\":\"Patient/bench-patient-" + d + "\"}}");
        }
        Instant base = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(60));
        NdjsonLoad load = new NdjsonLoad(root, deviceIds, base, linesPerRequest);
        System.out.printf(
                Locale.ROOT,
                "%nmcs-fhir telemetry benchmark: %d clients, %d lines x 7 channels per request, "
                        + "%d devices, server %s%n",
                clients,
                linesPerRequest,
                devices,
                System.getProperty("mcs.jvm.args"));

        // the naive path first, while the server has nothing else to do (no materializer backlog yet)
        naive(deviceIds, base.minus(Duration.ofDays(40)), 5); // warm-up
        LoadPhase naive = naive(deviceIds, base.minus(Duration.ofDays(30)), naiveSeconds);
        System.out.printf(
                Locale.ROOT, "%n== naive path (one Observation per value, 100-entry transaction Bundles) ==%n");
        System.out.printf(
                Locale.ROOT,
                "sustained: %,.0f values/s (%,d values in %,d requests, %.1f s, %d errors)%n",
                naive.valuesPerSecond(),
                naive.values,
                naive.requests(),
                naive.seconds,
                naive.errors.get());
        System.out.printf(
                Locale.ROOT,
                "request latency: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms%n",
                naive.percentile(50),
                naive.percentile(95),
                naive.percentile(99));

        LoadPhase warmup = ingest(load, 15);
        System.out.printf(Locale.ROOT, "%ngateway warm-up (15 s): %,.0f values/s%n", warmup.valuesPerSecond());

        long writtenBefore = metric("mcs.telemetry.materializer.windows.written");
        long[] sizesBefore = storageBytes();
        RssSampler rss = new RssSampler(server.pid());
        rss.start();
        LoadPhase gateway = ingest(load, ingestSeconds);
        rss.stop();
        long writtenDuring = metric("mcs.telemetry.materializer.windows.written") - writtenBefore;
        long queued = metric("mcs.telemetry.materializer.queue.entries");

        System.out.printf(Locale.ROOT, "%n== gateway ingest (POST /telemetry/v1/devices/{id}/samples, NDJSON) ==%n");
        System.out.printf(
                Locale.ROOT,
                "sustained: %,.0f values/s acknowledged after commit (%,d values in %,d requests, "
                        + "%.1f s, %d errors)%n",
                gateway.valuesPerSecond(),
                gateway.values,
                gateway.requests(),
                gateway.seconds,
                gateway.errors.get());
        System.out.printf(
                Locale.ROOT,
                "request latency: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                gateway.percentile(50),
                gateway.percentile(95),
                gateway.percentile(99),
                gateway.percentile(100));
        System.out.printf(
                Locale.ROOT, "server RSS during the run: mean %,d MiB, max %,d MiB%n", rss.meanMiB(), rss.maxMiB());
        long windowsTouched = gateway.values / 60;
        System.out.printf(
                Locale.ROOT,
                "materializer: %,d window Observations written during the run (%,.0f/s) for "
                        + "~%,d windows filled (%,.0f/s); queue at the end: %,d entries%n",
                writtenDuring,
                writtenDuring / gateway.seconds,
                windowsTouched,
                windowsTouched / gateway.seconds,
                queued);
        Instant drainStart = Instant.now();
        long writtenAtStop = metric("mcs.telemetry.materializer.windows.written");
        long drainLimit = Math.max(60, ingestSeconds * 3L);
        while (metric("mcs.telemetry.materializer.queue.entries") > 0
                && Duration.between(drainStart, Instant.now()).toSeconds() < drainLimit) {
            Thread.sleep(1000);
        }
        long left = metric("mcs.telemetry.materializer.queue.entries");
        double drainSeconds = Duration.between(drainStart, Instant.now()).toMillis() / 1000.0;
        long drained = metric("mcs.telemetry.materializer.windows.written") - writtenAtStop;
        System.out.printf(
                Locale.ROOT,
                "materialization lag: %s; catch-up without ingest: %,.0f windows/s%n",
                left == 0
                        ? String.format(Locale.ROOT, "queue drained %.0f s after ingest stopped", drainSeconds)
                        : String.format(
                                Locale.ROOT,
                                "%,d queue entries still waiting %.0f s after ingest stopped",
                                left,
                                drainSeconds),
                drained / drainSeconds);
        long[] sizesAfter = storageBytes();
        long windowsStored = metric("mcs.telemetry.materializer.windows.written") - writtenBefore;
        long sampleBytes = sizesAfter[1] - sizesBefore[1];
        long otherBytes = (sizesAfter[0] - sizesBefore[0]) - sampleBytes;
        System.out.printf(
                Locale.ROOT,
                "storage: %.1f bytes per value in the sample table (with its key); %,.0f bytes "
                        + "per window Observation (the rest of the database's growth over %,d windows); database +%,d MB for "
                        + "%,d values%n",
                sampleBytes / (double) gateway.values,
                otherBytes / (double) Math.max(1, windowsStored),
                windowsStored,
                (sizesAfter[0] - sizesBefore[0]) / 1_000_000,
                gateway.values);
        double seriesMs = seriesRead(base);
        System.out.printf(
                Locale.ROOT,
                "$telemetry-series, 24 h of one channel at 1 Hz (86,400 values): median %.0f ms " + "over 10 reads%n",
                seriesMs);

        System.out.printf(
                Locale.ROOT,
                "%n== ratio gateway / naive: %.0fx (target >= 100x); gateway target >= 50,000 " + "values/s: %s ==%n%n",
                gateway.valuesPerSecond() / Math.max(1, naive.valuesPerSecond()),
                gateway.valuesPerSecond() >= 50_000 ? "met" : "NOT met");
    }

    /** Bytes of the server's database and of the sample table (with its primary key), as PostgreSQL counts them. */
    private long[] storageBytes() throws SQLException {
        try (var connection = database.getConnection();
                var sizes = connection
                        .createStatement()
                        .executeQuery("SELECT pg_database_size(current_database()), "
                                + "pg_total_relation_size('mcs_tel_sample')")) {
            sizes.next();
            return new long[] {sizes.getLong(1), sizes.getLong(2)};
        }
    }

    /** Gateway load: each client takes the next device round-robin and sends its next block of seconds. */
    private LoadPhase ingest(NdjsonLoad load, int seconds) throws Exception {
        AtomicInteger nextDevice = new AtomicInteger();
        return LoadPhase.run(clients, seconds, client -> {
            StringBuilder body = new StringBuilder(linesPerRequest * 200);
            return result -> {
                int d = Math.floorMod(nextDevice.getAndIncrement(), devices);
                long first = load.claim(d);
                body.setLength(0);
                load.appendLines(body, first);
                long sent = System.nanoTime();
                try {
                    HttpResponse<String> response = load.post(d, body.toString());
                    long took = System.nanoTime() - sent;
                    long accepted = NdjsonLoad.accepted(response);
                    if (accepted >= 0) {
                        result.record(took, accepted);
                    } else {
                        if (result.errors.incrementAndGet() <= 3) {
                            System.out.println("error " + response.statusCode() + ": " + response.body());
                        }
                        if (response.statusCode() == 429) {
                            Thread.sleep(200);
                        }
                    }
                } catch (IOException e) {
                    result.errors.incrementAndGet();
                }
                return true;
            };
        });
    }

    /** The naive baseline: each value its own Observation, 100 per transaction Bundle. */
    private LoadPhase naive(String[] deviceIds, Instant base, int seconds) throws Exception {
        AtomicLong nextSecond = new AtomicLong();
        return LoadPhase.run(clients, seconds, client -> result -> {
            StringBuilder bundle =
                    new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
            int d = client % deviceIds.length;
            for (int i = 0; i < 100; i++) {
                long s = nextSecond.getAndIncrement();
                String channel = NdjsonLoad.CHANNELS[i % NdjsonLoad.CHANNELS.length];
                if (i > 0) {
                    bundle.append(',');
                }
                bundle.append("{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",")
                        .append("\"code\":{\"coding\":[{\"system\":\"https://mcs-fhir.org/fhir/CodeSystem/")
                        .append("mcs-telemetry-channel-cs\",\"code\":\"")
                        .append(channel)
                        .append("\"}]},")
                        .append("\"subject\":{\"reference\":\"Patient/bench-patient-")
                        .append(d)
                        .append("\"},")
                        .append("\"device\":{\"reference\":\"")
                        .append("Device/")
                        .append(deviceIds[d])
                        .append("\"},")
                        .append("\"effectiveDateTime\":\"")
                        .append(base.plusSeconds(s))
                        .append("\",")
                        .append("\"valueQuantity\":{\"value\":")
                        .append(3 + (s % 100) / 100.0)
                        .append(",\"system\":\"http://unitsofmeasure.org\",\"code\":\"L/min\"}},")
                        .append("\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
            }
            bundle.append("]}");
            long sent = System.nanoTime();
            try {
                HttpResponse<String> response = BenchmarkServer.http()
                        .send(
                                HttpRequest.newBuilder(URI.create(fhir))
                                        .timeout(Duration.ofSeconds(120))
                                        .header("Content-Type", "application/fhir+json")
                                        .POST(HttpRequest.BodyPublishers.ofString(bundle.toString()))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    result.record(System.nanoTime() - sent, 100);
                } else if (result.errors.incrementAndGet() <= 3) {
                    System.out.println("naive error " + response.statusCode() + ": " + response.body());
                }
            } catch (IOException e) {
                result.errors.incrementAndGet();
            }
            return true;
        });
    }

    /** 24 h of pump-flow at 1 Hz for one device of its own, then the median of 10 reads of it. */
    private double seriesRead(Instant base) throws Exception {
        String device = "bench-series-pump";
        server.put(
                "Device/" + device,
                "{\"resourceType\":\"Device\",\"id\":\"" + device
                        + "\",\"patient\":{\"reference\":\"Patient/bench-patient-0\"}}");
        Instant day = base.minus(Duration.ofDays(10));
        for (int first = 0; first < 86_400; first += 5_000) {
            StringBuilder body = new StringBuilder();
            for (int s = first; s < Math.min(86_400, first + 5_000); s++) {
                body.append("{\"time\":\"")
                        .append(day.plusSeconds(s))
                        .append("\",\"pump-flow\":")
                        .append(2 + (s % 300) / 100.0)
                        .append("}\n");
            }
            HttpResponse<String> response = NdjsonLoad.post(root, device, body.toString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("series set-up failed: " + response.body());
            }
        }
        URI uri = URI.create(fhir + "/Device/" + device + "/$telemetry-series?channel=pump-flow&start=" + day + "&end="
                + day.plus(Duration.ofDays(1)));
        double[] ms = new double[10];
        for (int i = -3; i < ms.length; i++) { // three unmeasured reads warm the code path
            long sent = System.nanoTime();
            HttpResponse<String> response = BenchmarkServer.http()
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .header("Accept", "application/fhir+json")
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            double took = (System.nanoTime() - sent) / 1e6;
            if (response.statusCode() != 200 || response.body().contains(" E ")) {
                throw new IllegalStateException("series read failed or has gaps: " + response.statusCode());
            }
            if (i >= 0) {
                ms[i] = took;
            }
        }
        Arrays.sort(ms);
        return (ms[4] + ms[5]) / 2;
    }

    private long metric(String name) throws Exception {
        HttpResponse<String> response = BenchmarkServer.http()
                .send(
                        HttpRequest.newBuilder(URI.create(root + "/actuator/metrics/" + name))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        Matcher value = Pattern.compile("\"value\":([0-9.E+-]+)").matcher(response.body());
        return value.find() ? (long) Double.parseDouble(value.group(1)) : -1;
    }

    /** The server's resident set size, read from /proc once a second. */
    private static final class RssSampler {
        private final long pid;
        private final List<Long> kib = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running;
        private Thread thread;

        RssSampler(long pid) {
            this.pid = pid;
        }

        void start() {
            running = true;
            thread = new Thread(() -> {
                while (running) {
                    try {
                        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                            if (line.startsWith("VmRSS:")) {
                                kib.add(Long.parseLong(line.replaceAll("[^0-9]", "")));
                            }
                        }
                        Thread.sleep(1000);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        long maxMiB() {
            return kib.stream().mapToLong(Long::longValue).max().orElse(0) / 1024;
        }

        long meanMiB() {
            return (long) kib.stream().mapToLong(Long::longValue).average().orElse(0) / 1024;
        }
    }
}
