package org.mcsfhir.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a registry pull costs: the packaged server on embedded PostgreSQL, loaded with {@code bench.cases} copies of
 * the guide's first example case (patient, insertion, removal, consents, selection and outcome observations,
 * complications, telemetry windows and summaries; the two example centres and operators shared), then
 * <ul>
 *   <li>{@code GET Procedure/{id}/$registry-case} on every insertion, identifiable and pseudonymised (p50/p95);</li>
 *   <li>a system-level Bulk Data {@code $export} of everything, from kick-off to the last NDJSON file read, against
 *       {@code Patient/{id}/$everything} on every patient, in resources per second, in the same run.</li>
 * </ul>
 * Loaded with validation off (the write path is measured by ValidationBenchmark); reading is what is measured here.
 */
public final class RegistryBenchmark {

    private static final ObjectMapper JSON = GuideExamples.JSON;
    private static final List<String> SHARED = List.of("Organization", "Practitioner");

    private final int cases = Integer.getInteger("bench.cases", 300);
    private final Path examplesDir = Path.of(System.getProperty("bench.examples-dir", "../profiles/src/main/examples"));

    public static void main(String[] args) throws Exception {
        new RegistryBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        Path work = Path.of(System.getProperty("bench.work-dir", "target/benchmark"));
        List<ObjectNode> examples = GuideExamples.read(examplesDir);
        System.out.printf(
                Locale.ROOT,
                "%nmcs-fhir registry benchmark: %d cases, server %s%n",
                cases,
                System.getProperty("mcs.jvm.args"));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                BenchmarkServer server =
                        BenchmarkServer.start(postgres, work.resolve("registry"), "--mcs.validation.mode=off")) {
            long resources = load(server, examples);
            registryCase(server, "identifiable", "");
            registryCase(server, "pseudonymised", "?pseudonymise=true");
            double everything = everything(server);
            double export = bulkExport(server, resources);
            System.out.printf(Locale.ROOT, "bulk export vs $everything: %.1fx%n", export / everything);
        }
    }

    /** One transaction per case; returns the number of resources stored. */
    private long load(BenchmarkServer server, List<ObjectNode> examples) throws Exception {
        List<ObjectNode> shared = examples.stream()
                .filter(e -> SHARED.contains(GuideExamples.type(e)))
                .toList();
        List<ObjectNode> perCase = examples.stream()
                .filter(e -> !SHARED.contains(GuideExamples.type(e)))
                .toList();
        server.expect(200, "POST", "/fhir", GuideExamples.transaction(shared));
        long started = System.nanoTime();
        String template = JSON.writeValueAsString(perCase.stream().toList());
        for (int i = 0; i < cases; i++) {
            String renamed = template.replace("mcs-example-", "c" + i + "-")
                    .replace("c" + i + "-centre-", "mcs-example-centre-")
                    .replace("c" + i + "-operator-", "mcs-example-operator-");
            List<ObjectNode> copy = new ArrayList<>();
            JSON.readTree(renamed).forEach(node -> copy.add((ObjectNode) node));
            server.expect(200, "POST", "/fhir", GuideExamples.transaction(copy));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long total = shared.size() + (long) perCase.size() * cases;
        System.out.printf(Locale.ROOT, "loaded %d resources (%d per case) in %.1f s%n", total, perCase.size(), seconds);
        return total;
    }

    private void registryCase(BenchmarkServer server, String label, String query) throws Exception {
        int warmup = Math.min(30, cases);
        for (int i = 0; i < warmup; i++) {
            server.expect(200, "GET", "/fhir/Procedure/c" + i + "-insertion-1/$registry-case" + query, null);
        }
        Latencies latencies = new Latencies();
        for (int i = 0; i < cases; i++) {
            long started = System.nanoTime();
            server.expect(200, "GET", "/fhir/Procedure/c" + i + "-insertion-1/$registry-case" + query, null);
            latencies.add(System.nanoTime() - started);
        }
        System.out.printf(
                Locale.ROOT,
                "$registry-case (%s, %d cases): p50 %.1f ms, p95 %.1f ms (target p50 <= 100 ms)%n",
                label,
                latencies.count(),
                latencies.percentile(50),
                latencies.percentile(95));
    }

    /** Patient/$everything on every patient, following next links; resources per second overall. */
    private double everything(BenchmarkServer server) throws Exception {
        long resources = 0;
        long started = System.nanoTime();
        for (int i = 0; i < cases; i++) {
            String next = "/fhir/Patient/c" + i + "-patient-1/$everything?_count=500";
            while (next != null) {
                JsonNode page =
                        JSON.readTree(server.expect(200, "GET", next, null).body());
                resources += page.path("entry").size();
                next = null;
                for (JsonNode link : page.path("link")) {
                    if (link.path("relation").asText().equals("next")) {
                        next = link.path("url").asText().substring(server.root().length());
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = resources / seconds;
        System.out.printf(
                Locale.ROOT,
                "Patient/$everything on %d patients: %d resources in %.2f s = %.0f resources/s%n",
                cases,
                resources,
                seconds,
                rate);
        return rate;
    }

    /** System $export of every resource: kick-off, poll, read every file; resources per second end to end. */
    private double bulkExport(BenchmarkServer server, long loaded) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> kickOff = BenchmarkServer.http()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(server.fhir() + "/$export?_outputFormat=application/fhir%2Bndjson"))
                                .header("Accept", "application/fhir+json")
                                .header("Prefer", "respond-async")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (kickOff.statusCode() != 202) {
            throw new IllegalStateException("$export kick-off -> " + kickOff.statusCode() + ": " + kickOff.body());
        }
        URI status = URI.create(kickOff.headers().firstValue("Content-Location").orElseThrow());
        HttpResponse<String> manifest;
        do {
            Thread.sleep(200);
            manifest = BenchmarkServer.http()
                    .send(
                            HttpRequest.newBuilder(status)
                                    .header("Accept", "application/json")
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } while (manifest.statusCode() == 202);
        if (manifest.statusCode() != 200) {
            throw new IllegalStateException("$export status -> " + manifest.statusCode() + ": " + manifest.body());
        }
        double jobSeconds = (System.nanoTime() - started) / 1e9;
        long resources = 0;
        int files = 0;
        for (JsonNode output : JSON.readTree(manifest.body()).path("output")) {
            HttpResponse<Stream<String>> file = BenchmarkServer.http()
                    .send(
                            HttpRequest.newBuilder(URI.create(output.path("url").asText()))
                                    .header("Accept", "application/fhir+ndjson")
                                    .timeout(Duration.ofMinutes(5))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = file.body()) {
                resources += lines.filter(line -> !line.isBlank()).count();
            }
            files++;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = resources / seconds;
        System.out.printf(
                Locale.ROOT,
                "system $export: %d resources (of %d loaded) in %d files, job done after %.2f s, "
                        + "all files read after %.2f s = %.0f resources/s (target >= 10,000/s)%n",
                resources,
                loaded,
                files,
                jobSeconds,
                seconds,
                rate);
        return rate;
    }
}
