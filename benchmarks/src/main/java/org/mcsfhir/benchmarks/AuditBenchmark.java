package org.mcsfhir.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code Measure/$audit} latency over a large cohort on PostgreSQL: seeds {@code bench.audit-cases} registry cases
 * (default 10,000; patient, pump, insertion, consent, SCAI stage, pregnancy status for women, vital status at 30/180
 * days and 1 year, support outcome, a complication for a third, QoL for half) through transaction Bundles of 50
 * cases, then calls {@code $audit} over the whole period {@code bench.audit-runs} times (after two warm-ups) and
 * prints p50/p95; then {@code $audit-dataset} (CSV) of the same cohort, the same number of times. Seeding stops
 * early when {@code bench.audit-seed-seconds} is spent; the size reached is printed.
 *
 * <p>The server runs with {@code mcs.validation.mode=off} while seeding: this measures the audit, not validation on
 * write (ValidationBenchmark does that), and 10,000 validated cases would take most of the time budget.
 */
public final class AuditBenchmark {

    private static final String SD = "https://mcs-fhir.org/fhir/StructureDefinition/";
    private static final String CS = "https://mcs-fhir.org/fhir/CodeSystem/";

    public static void main(String[] args) throws Exception {
        int cases = Integer.getInteger("bench.audit-cases", 10_000);
        int runs = Integer.getInteger("bench.audit-runs", 20);
        long seedSeconds = Long.getLong("bench.audit-seed-seconds", 900);
        Path work = Path.of(System.getProperty("bench.work-dir", "target/benchmark"))
                .resolve("audit");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                BenchmarkServer server = BenchmarkServer.start(postgres, work, "--mcs.validation.mode=off")) {
            Instant started = Instant.now();
            Instant deadline = started.plusSeconds(seedSeconds);
            Random random = new Random(775);
            LocalDate first = LocalDate.parse("2024-01-01");
            int seeded = 0;
            server.expect(200, "POST", "/fhir", transaction(centres()));
            // two transactions in flight (2 cores): the cases are independent, so seeding is not the bottleneck
            ExecutorService posts = Executors.newFixedThreadPool(2);
            List<Future<?>> inFlight = new ArrayList<>();
            while (seeded < cases && Instant.now().isBefore(deadline)) {
                StringBuilder entries = new StringBuilder();
                int batch = Math.min(50, cases - seeded);
                for (int i = 0; i < batch; i++) {
                    appendCase(entries, seeded + i, first.plusDays(random.nextInt(730)), random);
                }
                String bundle = transaction(entries.toString());
                inFlight.add(posts.submit(() -> server.expect(200, "POST", "/fhir", bundle)));
                if (inFlight.size() >= 4) {
                    inFlight.remove(0).get();
                }
                seeded += batch;
            }
            for (Future<?> post : inFlight) {
                post.get();
            }
            posts.shutdown();
            Duration seeding = Duration.between(started, Instant.now());
            System.out.printf("[audit] seeded %d cases (asked %d) in %d s%n", seeded, cases, seeding.toSeconds());

            String path = "/fhir/Measure/$audit?periodStart=2024-01-01&periodEnd=2025-12-31&referenceDate=2026-06-30";
            // the case table follows the writes on its own thread: how long it lags behind a bulk load
            Instant lastWrite = Instant.now();
            while (server.send("GET", path, null).statusCode() == 503) {
                Thread.sleep(2_000);
            }
            System.out.printf(
                    "[audit] case table current %d s after the last write%n",
                    Duration.between(lastWrite, Instant.now()).toSeconds());
            for (int i = 0; i < 2; i++) {
                server.expect(200, "GET", path, null);
            }
            Latencies latencies = new Latencies();
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                server.expect(200, "GET", path, null);
                latencies.add(System.nanoTime() - t);
            }
            Latencies oneCentre = new Latencies();
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                server.expect(200, "GET", path + "&centre=Organization/bench-centre-1", null);
                oneCentre.add(System.nanoTime() - t);
            }
            // a tenth of the period: about 1,000 insertions at the default size
            String tenth = "/fhir/Measure/$audit?periodStart=2024-01-01&periodEnd=2024-03-13&referenceDate=2026-06-30";
            int tenthRows = server.expect(200, "GET", tenth.replace("$audit?", "$audit-dataset?"), null)
                            .body()
                            .split("\r\n")
                            .length
                    - 1;
            Latencies tenthLatencies = new Latencies();
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                server.expect(200, "GET", tenth, null);
                tenthLatencies.add(System.nanoTime() - t);
            }
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
            Latencies datasetLatencies = new Latencies();
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                server.expect(200, "GET", dataset, null);
                datasetLatencies.add(System.nanoTime() - t);
            }
            System.out.printf(
                    "[audit] $audit-dataset CSV, %d rows:        p50 %.0f ms, p95 %.0f ms (%d runs)%n",
                    rows, datasetLatencies.percentile(50), datasetLatencies.percentile(95), runs);
            System.out.printf("[audit] server RSS %d MiB%n", server.rssMiB());
        }
    }

    private static String centres() {
        StringBuilder entries = new StringBuilder();
        for (int c = 0; c < 4; c++) {
            entry(entries, "Organization", "bench-centre-" + c, """
                    {"resourceType":"Organization","id":"bench-centre-%d","meta":{"profile":["%smcs-implanting-centre"]},
                     "identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"BEN%d"}],
                     "name":"Benchmark centre %d"}""".formatted(c, SD, c, c));
        }
        return entries.toString();
    }

    private static void appendCase(StringBuilder entries, int i, LocalDate t0, Random random) {
        String p = "bench-" + i;
        String centre = "bench-centre-" + (i % 4);
        String sex = random.nextDouble() < 0.4 ? "female" : "male";
        entry(entries, "Patient", p + "-patient", """
                {"resourceType":"Patient","id":"%s-patient","meta":{"profile":["%smcs-patient"]},
                 "identifier":[{"system":"https://mcs-fhir.org/fhir/example/bench/mrn","value":"%s"}],
                 "gender":"%s","birthDate":"%s","managingOrganization":{"reference":"Organization/%s"}}""".formatted(
                        p, SD, p, sex, t0.minusYears(30 + random.nextInt(60)).minusDays(random.nextInt(300)), centre));
        entry(entries, "Device", p + "-pump", """
                {"resourceType":"Device","id":"%s-pump","meta":{"profile":["%smcs-microaxial-pump"]},"status":"active",
                 "manufacturer":"Abiomed","serialNumber":"%s","deviceName":[{"name":"%s","type":"model-name"}],
                 "type":{"coding":[{"system":"http://snomed.info/sct","code":"360066001"}]},
                 "patient":{"reference":"Patient/%s-patient"}}""".formatted(
                        p, SD, p, random.nextBoolean() ? "Impella CP" : "Impella 5.5", p));
        entry(entries, "Procedure", p + "-insertion", """
                {"resourceType":"Procedure","id":"%s-insertion","meta":{"profile":["%smcs-pump-insertion"]},
                 "extension":[{"url":"%smcs-consent","valueReference":{"reference":"Consent/%s-consent"}}],
                 "status":"completed","code":{"coding":[{"system":"http://snomed.info/sct","code":"232967006"}]},
                 "subject":{"reference":"Patient/%s-patient"},"performedPeriod":{"start":"%sT10:00:00Z"},
                 "performer":[{"onBehalfOf":{"reference":"Organization/%s"}}],
                 "reasonCode":[{"coding":[{"system":"http://snomed.info/sct","code":"89138009"}]},
                   {"coding":[{"system":"http://snomed.info/sct","code":"%s"}]}],
                 "bodySite":[{"coding":[{"system":"http://snomed.info/sct","code":"%s"}]}],
                 "focalDevice":[{"manipulated":{"reference":"Device/%s-pump"}}]}""".formatted(
                        p,
                        SD,
                        SD,
                        p,
                        p,
                        t0,
                        centre,
                        random.nextBoolean() ? "401303003" : "50920009",
                        random.nextDouble() < 0.8 ? "7657000" : "67937003",
                        p));
        entry(entries, "Consent", p + "-consent", """
                {"resourceType":"Consent","id":"%s-consent","status":"active",
                 "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"treatment"}]},
                 "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
                 "patient":{"reference":"Patient/%s-patient"},"dateTime":"%sT09:45:00Z",
                 "provision":{"type":"permit","data":[{"meaning":"related","reference":{"reference":"Procedure/%s-insertion"}}]}}""".formatted(p, p, t0, p));
        entry(entries, "Observation", p + "-scai", """
                {"resourceType":"Observation","id":"%s-scai","status":"final",
                 "code":{"coding":[{"system":"%smcs-observation-code-cs","code":"scai-shock-stage"}]},
                 "subject":{"reference":"Patient/%s-patient"},"effectiveDateTime":"%sT09:30:00Z",
                 "valueCodeableConcept":{"coding":[{"system":"%smcs-scai-stage-cs","code":"%s"}]}}""".formatted(p, CS, p, t0, CS, "ABCDE".charAt(random.nextInt(5))));
        if (sex.equals("female")) {
            entry(entries, "Observation", p + "-pregnancy", """
                    {"resourceType":"Observation","id":"%s-pregnancy","status":"final",
                     "code":{"coding":[{"system":"http://loinc.org","code":"82810-3"}]},
                     "subject":{"reference":"Patient/%s-patient"},"effectiveDateTime":"%sT09:00:00Z",
                     "valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"60001007"}]}}""".formatted(p, p, t0));
        }
        boolean dies = random.nextDouble() < 0.35;
        int deathDay = random.nextInt(400);
        for (int day : new int[] {30, 180, 365}) {
            if (dies && deathDay <= day) {
                break;
            }
            String point = day == 30 ? "30d" : day == 180 ? "180d" : "1y";
            entry(entries, "Observation", p + "-vital-" + point, """
                    {"resourceType":"Observation","id":"%s-vital-%s","status":"final",
                     "extension":[{"url":"%smcs-follow-up-point","valueCodeableConcept":{"coding":[{"system":"%smcs-follow-up-point-cs","code":"%s"}]}}],
                     "code":{"coding":[{"system":"%smcs-observation-code-cs","code":"vital-status"}]},
                     "subject":{"reference":"Patient/%s-patient"},"focus":[{"reference":"Procedure/%s-insertion"}],
                     "effectiveDateTime":"%s","valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"438949009"}]}}""".formatted(
                            p, point, SD, CS, point, CS, p, p, t0.plusDays(day)));
            if (random.nextBoolean()) {
                entry(entries, "Observation", p + "-eq5d-" + point, """
                        {"resourceType":"Observation","id":"%s-eq5d-%s","status":"final",
                         "extension":[{"url":"%smcs-follow-up-point","valueCodeableConcept":{"coding":[{"system":"%smcs-follow-up-point-cs","code":"%s"}]}}],
                         "code":{"coding":[{"system":"http://snomed.info/sct","code":"736534008"}]},
                         "subject":{"reference":"Patient/%s-patient"},"focus":[{"reference":"Procedure/%s-insertion"}],
                         "effectiveDateTime":"%s","valueQuantity":{"value":%.3f,"system":"http://unitsofmeasure.org","code":"{score}"}}""".formatted(
                                p, point, SD, CS, point, p, p, t0.plusDays(day), random.nextDouble()));
            }
        }
        String reason = dies && deathDay < 8
                ? "death-on-support"
                : random.nextBoolean() ? "myocardial-recovery" : "bridge-to-durable-lvad";
        entry(entries, "Observation", p + "-support-outcome", """
                {"resourceType":"Observation","id":"%s-support-outcome","status":"final",
                 "code":{"coding":[{"system":"%smcs-observation-code-cs","code":"support-outcome"}]},
                 "subject":{"reference":"Patient/%s-patient"},"focus":[{"reference":"Procedure/%s-insertion"}],
                 "effectiveDateTime":"%s","valueCodeableConcept":{"coding":[{"system":"%smcs-support-end-cs","code":"%s"}]}}""".formatted(
                        p, CS, p, p, t0.plusDays(Math.min(deathDay, 5)), CS, reason));
        if (random.nextDouble() < 0.33) {
            entry(entries, "Condition", p + "-bleeding", """
                    {"resourceType":"Condition","id":"%s-bleeding",
                     "category":[{"coding":[{"system":"%smcs-condition-category-cs","code":"complication"}]}],
                     "code":{"coding":[{"system":"http://snomed.info/sct","code":"131148009"}]},
                     "subject":{"reference":"Patient/%s-patient"},"onsetDateTime":"%s",
                     "stage":[{"summary":{"coding":[{"system":"%smcs-barc-bleeding-cs","code":"3a"}]}}]}""".formatted(p, CS, p, t0.plusDays(random.nextInt(60)), CS));
        }
    }

    private static void entry(StringBuilder entries, String type, String id, String json) {
        if (entries.length() > 0) {
            entries.append(',');
        }
        entries.append("{\"resource\":")
                .append(json)
                .append(",\"request\":{\"method\":\"PUT\",\"url\":\"")
                .append(type)
                .append('/')
                .append(id)
                .append("\"}}");
    }

    private static String transaction(String entries) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entries + "]}";
    }
}
