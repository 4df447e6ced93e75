package org.mcsfhir.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code Measure/$audit} latency over a large cohort on PostgreSQL: seeds {@code bench.audit-cases} registry cases
 * of the {@link InsertionCohort} (default 10,000) through transaction Bundles of 50 cases, then calls {@code $audit}
 * over the whole period {@code bench.audit-runs} times (after two warm-ups) and prints p50/p95; then
 * {@code $audit-dataset} (CSV) of the same cohort, the same number of times. Seeding stops early when
 * {@code bench.audit-seed-seconds} is spent; the size reached is printed.
 *
 * <p>The server runs with {@code mcs.validation.mode=off} while seeding: this measures the audit, not validation on
 * write (ValidationBenchmark does that), and 10,000 validated cases would take most of the time budget.
 */
public final class AuditBenchmark {

    public static void main(String[] args) throws Exception {
        int cases = Integer.getInteger("bench.audit-cases", 10_000);
        int runs = Integer.getInteger("bench.audit-runs", 20);
        long seedSeconds = Long.getLong("bench.audit-seed-seconds", 900);
        Path work = Path.of(System.getProperty("bench.work-dir", "target/benchmark"))
                .resolve("audit");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                BenchmarkServer server = BenchmarkServer.start(postgres, work, "--mcs.validation.mode=off")) {
            Instant started = Instant.now();
            int seeded = InsertionCohort.seed(server, cases, started.plusSeconds(seedSeconds));
            Duration seeding = Duration.between(started, Instant.now());
            System.out.printf("[audit] seeded %d cases (asked %d) in %d s%n", seeded, cases, seeding.toSeconds());

            String path = "/fhir/Measure/$audit?periodStart=2024-01-01&periodEnd=2025-12-31&referenceDate=2026-06-30";
            // the case table follows the writes on its own thread: how long it lags behind a bulk load
            Duration lag = InsertionCohort.awaitCaseTable(server, path);
            System.out.printf("[audit] case table current %d s after the last write%n", lag.toSeconds());
            Latencies latencies = server.timeGets(path, 2, runs);
            Latencies oneCentre = server.timeGets(path + "&centre=Organization/bench-centre-1", 0, runs);
            // a tenth of the period: about 1,000 insertions at the default size
            String tenth = "/fhir/Measure/$audit?periodStart=2024-01-01&periodEnd=2024-03-13&referenceDate=2026-06-30";
            int tenthRows = server.expect(200, "GET", tenth.replace("$audit?", "$audit-dataset?"), null)
                            .body()
                            .split("\r\n")
                            .length
                    - 1;
            Latencies tenthLatencies = server.timeGets(tenth, 0, runs);
            System.out.printf(
                    "[audit] $audit over %d cases, all centres: p50 %.0f ms, p95 %.0f ms (%d runs)%n",
                    seeded, latencies.percentile(50), latencies.percentile(95), runs);
            System.out.printf(
                    "[audit] $audit over one of 4 centres:       p50 %.0f ms, p95 %.0f ms (%d runs)%n",
                    oneCentre.percentile(50), oneCentre.percentile(95), runs);
            System.out.printf(
                    "[audit] $audit over %d cases (73 days):      p50 %.0f ms, p95 %.0f ms (%d runs)%n",
                    tenthRows, tenthLatencies.percentile(50), tenthLatencies.percentile(95), runs);
            // the analysis dataset of the same cohort, beside $audit: the same table rows, no figures computed
            String dataset = "/fhir/Measure/$audit-dataset?periodStart=2024-01-01&periodEnd=2025-12-31";
            int rows = server.expect(200, "GET", dataset, null).body().split("\r\n").length - 1;
            Latencies datasetLatencies = server.timeGets(dataset, 0, runs);
            System.out.printf(
                    "[audit] $audit-dataset CSV, %d rows:        p50 %.0f ms, p95 %.0f ms (%d runs)%n",
                    rows, datasetLatencies.percentile(50), datasetLatencies.percentile(95), runs);
            System.out.printf("[audit] server RSS %d MiB%n", server.rssMiB());
        }
    }
}
