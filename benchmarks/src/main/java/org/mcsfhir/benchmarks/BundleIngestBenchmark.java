package org.mcsfhir.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bulk loads through transaction Bundles, and what one maximal Bundle does to everyone else. On embedded PostgreSQL,
 * the packaged server is started once per configuration in one run: a baseline with validation and the AuditEvent
 * trail off (HAPI's own transaction cost), validation alone, as shipped (both on), and optionally as shipped from
 * a previous build's jar ({@code bench.previous-jar}, mode {@code previous}). Each receives
 * {@code bench.bundle-count} Synthea-like transaction Bundles of {@code bench.bundle-entries} entries from
 * {@code bench.bundle-clients} clients (entries/s from the first request to the last answer), once the validator's
 * warm-up is over. Then the shipped server receives one maximal Bundle (the entry limit, padded towards the size
 * limit; {@code bench.skip-maximal} skips it) while another client polls {@code /actuator/health} and reads a
 * Patient every 200 ms: their worst latencies, the full collections in the server's GC log and its RSS are printed.
 */
public final class BundleIngestBenchmark {

    private final int bundles = Integer.getInteger("bench.bundle-count", 12);
    private final int entries = Integer.getInteger("bench.bundle-entries", 500);
    private final int clients = Integer.getInteger("bench.bundle-clients", 2);
    /** Unmeasured Bundles first (parser, validator, caches, the JIT): a bulk load runs for minutes, not seconds. */
    private final int warmUpBundles = Integer.getInteger("bench.warmup-bundles", 2);

    private final int warmUpEntries = Integer.getInteger("bench.warmup-entries", 100);
    private final int maxEntries = Integer.getInteger("bench.max-entries", 1000);
    private final int padding = Integer.getInteger("bench.max-padding", 8_800);
    /** Configurations to run (a subset of baseline, validation, shipped) and extra server settings for all of them. */
    private final List<String> modes = List.of(
            System.getProperty("bench.modes", "baseline,validation,shipped").split(","));
    /** A previous build's jar: adds a mode {@code previous} that runs it as shipped, in the same run. */
    private final String previousJar = System.getProperty("bench.previous-jar", "");

    private final List<String> serverArgs =
            System.getProperty("bench.server-args", "").isBlank()
                    ? List.of()
                    : List.of(System.getProperty("bench.server-args").trim().split("\\s+"));

    public static void main(String[] args) throws Exception {
        new BundleIngestBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        Path work = Path.of(System.getProperty("bench.work-dir", "target/benchmark"));
        System.out.printf(
                Locale.ROOT,
                "%nmcs-fhir bundle ingest: %d transaction Bundles x %d entries from %d clients,"
                        + " embedded PostgreSQL, server %s%n",
                bundles,
                entries,
                clients,
                System.getProperty("mcs.jvm.args"));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            double baseline = 0;
            for (String mode : modes) {
                Path dir = work.resolve("ingest-" + mode);
                Path gcLog = dir.resolve("gc.log");
                Files.createDirectories(dir);
                Files.deleteIfExists(gcLog);
                // the server appends to its log: a previous run's lines would end the wait for the warm-up at once
                Files.deleteIfExists(dir.resolve("server.log"));
                List<String> settings = new ArrayList<>(serverArgs);
                switch (mode) {
                    case "baseline" ->
                        settings.addAll(
                                List.of("--mcs.validation.mode=off", "--mcs.security.access-log.enabled=false"));
                    case "validation" -> settings.add("--mcs.security.access-log.enabled=false");
                    default -> {}
                }
                String[] args = settings.toArray(String[]::new);
                String jar = mode.equals("previous") ? previousJar : System.getProperty("mcs.server.jar");
                try (BenchmarkServer server =
                        BenchmarkServer.start(postgres, dir, jar, List.of("-Xlog:gc:file=" + gcLog), args)) {
                    if (!mode.equals("baseline")) {
                        awaitValidatorWarmUp(dir.resolve("server.log"));
                    }
                    load(server, warmUpBundles, warmUpEntries, 1);
                    double cpuBefore = server.cpuMs();
                    double rate = load(server, bundles, entries, 7);
                    // CPU per entry (all the server's threads): less sensitive to the neighbours than the rate
                    double cpuPerEntry = (server.cpuMs() - cpuBefore) / ((double) bundles * entries);
                    System.out.printf(
                            Locale.ROOT,
                            "%-10s (%s): %.0f entries/s, %.2f server CPU ms per entry, RSS %d MiB%n",
                            mode,
                            String.join(" ", args),
                            rate,
                            cpuPerEntry,
                            server.rssMiB());
                    if (mode.equals("baseline")) {
                        baseline = rate;
                    } else if (baseline > 0) {
                        System.out.printf(
                                Locale.ROOT, "%s / baseline: %.2f; target >= 500 entries/s%n", mode, rate / baseline);
                    }
                    if (mode.equals("shipped") && !Boolean.getBoolean("bench.skip-maximal")) {
                        maximalBundle(server, gcLog);
                    }
                }
            }
        }
    }

    /**
     * The server validates the guide's examples on a background thread after start (tens of seconds on a busy
     * machine); measured meanwhile, the modes with validation on would pay for that thread and the baseline not.
     */
    private static void awaitValidatorWarmUp(Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains("Validator warmed up")) {
                return;
            }
            Thread.sleep(500);
        }
        System.out.println("(validator warm-up not finished after 3 minutes; measuring anyway)");
    }

    /** Sends the Bundles from {@link #clients} threads; entries stored per second of wall time. */
    private double load(BenchmarkServer server, int count, int size, long seed) throws Exception {
        List<String> bodies = new ArrayList<>();
        SyntheaLikeBundles generator = new SyntheaLikeBundles(seed, 0);
        for (int i = 0; i < count; i++) {
            bodies.add(generator.transaction(size).toString());
        }
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                    try {
                        server.expect(200, "POST", "/fhir", bodies.get(i));
                    } catch (Exception e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return (double) count * size / ((System.nanoTime() - start) / 1e9);
    }

    private void maximalBundle(BenchmarkServer server, Path gcLog) throws Exception {
        String body =
                new SyntheaLikeBundles(11, padding).transaction(maxEntries).toString();
        String patient = server.expect(200, "GET", "/fhir/Patient?_count=1&_elements=id", null)
                .body()
                .replaceAll("(?s).*\"resourceType\":\"Patient\",\"id\":\"([^\"]+)\".*", "$1");
        long fullBefore = fullCollections(gcLog);
        Latencies health = new Latencies();
        Latencies reads = new Latencies();
        AtomicInteger failedPolls = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread poller = new Thread(() -> {
            while (!done.get()) {
                try {
                    health.add(timed(server, "/actuator/health"));
                    reads.add(timed(server, "/fhir/Patient/" + patient));
                    Thread.sleep(200);
                } catch (Exception e) {
                    failedPolls.incrementAndGet();
                }
            }
        });
        poller.start();
        long start = System.nanoTime();
        HttpResponse<String> answer = server.send("POST", "/fhir", body);
        double seconds = (System.nanoTime() - start) / 1e9;
        done.set(true);
        poller.join();
        System.out.printf(
                Locale.ROOT,
                "maximal Bundle: %d entries, %.1f MB: %d in %.1f s (%.0f entries/s); " + "RSS %d MiB%n",
                maxEntries,
                body.length() / 1e6,
                answer.statusCode(),
                seconds,
                maxEntries / seconds,
                server.rssMiB());
        System.out.printf(
                Locale.ROOT,
                "meanwhile: /actuator/health p50 %.0f ms, max %.0f ms (%d polls); "
                        + "Patient read p50 %.0f ms, max %.0f ms; %d failed; full GCs %d (%s)%n",
                health.percentile(50),
                health.percentile(100),
                health.count(),
                reads.percentile(50),
                reads.percentile(100),
                failedPolls.get(),
                fullCollections(gcLog) - fullBefore,
                gcLog);
        System.out.println("targets: health < 1 s throughout, no full-GC storm, the Bundle stored or refused");
    }

    private static long timed(BenchmarkServer server, String path) throws Exception {
        long start = System.nanoTime();
        HttpResponse<Void> response = BenchmarkServer.http()
                .send(
                        HttpRequest.newBuilder(URI.create(server.root() + path))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " -> " + response.statusCode());
        }
        return System.nanoTime() - start;
    }

    private static long fullCollections(Path gcLog) throws Exception {
        try (var lines = Files.lines(gcLog)) {
            return lines.filter(line -> line.contains("Pause Full")).count();
        }
    }
}
