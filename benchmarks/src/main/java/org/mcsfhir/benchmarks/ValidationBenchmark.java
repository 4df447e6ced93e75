package org.mcsfhir.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What profile validation costs a write, and what the terminology cache buys: the packaged server on embedded
 * PostgreSQL, started once per mode in one run (validation {@code off}, {@code enforce}, and enforced with the case
 * table's upkeep off, the baseline of what keeping it current costs a write; {@code bench.validation-modes}), each
 * loaded with the guide's examples and then sent {@code bench.writes} sequential creates of a pump insertion
 * Procedure (after
 * {@code bench.warmup} unmeasured ones) and rounds of every example; then {@code ValueSet/$validate-code} for every
 * code of the guide's local value sets, first call (cold) and repeated (cached). Sequential requests from one client:
 * latency, not throughput.
 */
public final class ValidationBenchmark {

    private static final ObjectMapper JSON = GuideExamples.JSON;
    private final int warmup = Integer.getInteger("bench.warmup", 300);
    private final int writes = Integer.getInteger("bench.writes", 1000);
    /** Validation enforced with the case table's upkeep off: the baseline of what keeping the table current costs. */
    private static final String WITHOUT_CASE_TABLE = "enforce-without-case-table";

    private final List<String> modes =
            List.of(System.getProperty("bench.validation-modes", "off,enforce," + WITHOUT_CASE_TABLE)
                    .split(","));
    private final Path examplesDir = Path.of(System.getProperty("bench.examples-dir", "../profiles/src/main/examples"));
    private final Path terminologyDir =
            Path.of(System.getProperty("bench.terminology-dir", "../terminology/src/main/fhir"));

    public static void main(String[] args) throws Exception {
        new ValidationBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        Path work = Path.of(System.getProperty("bench.work-dir", "target/benchmark"));
        List<ObjectNode> examples = GuideExamples.read(examplesDir);
        ObjectNode insertion = examples.stream()
                .filter(e -> e.path("id").asText().equals("mcs-example-insertion-1"))
                .findFirst()
                .orElseThrow();
        System.out.printf(
                Locale.ROOT,
                "%nmcs-fhir validation benchmark: %d warm-up + %d measured creates per mode, " + "server %s%n",
                warmup,
                writes,
                System.getProperty("mcs.jvm.args"));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Latencies off = null;
            Latencies offAll = null;
            Latencies enforced = null;
            Latencies enforcedAll = null;
            for (String mode : modes) {
                String[] args = mode.equals(WITHOUT_CASE_TABLE)
                        ? new String[] {"--mcs.validation.mode=enforce", "--mcs.cases.upkeep=false"}
                        : new String[] {"--mcs.validation.mode=" + mode};
                try (BenchmarkServer server =
                        BenchmarkServer.start(postgres, work.resolve("validation-" + mode), args)) {
                    server.send("POST", "/fhir", GuideExamples.transaction(examples));
                    Latencies insertions = creates(server, insertion, mode);
                    Latencies everyExample = exampleRounds(server, examples);
                    System.out.printf(Locale.ROOT, "%n== validation %s ==%n", mode);
                    System.out.printf(
                            Locale.ROOT,
                            "create pump insertion Procedure: p50 %.1f ms, p95 %.1f ms%n",
                            insertions.percentile(50),
                            insertions.percentile(95));
                    System.out.printf(
                            Locale.ROOT,
                            "update of every guide example (%d resources x 5 rounds): " + "p50 %.1f ms, p95 %.1f ms%n",
                            examples.size(),
                            everyExample.percentile(50),
                            everyExample.percentile(95));
                    if (mode.equals("off")) {
                        off = insertions;
                        offAll = everyExample;
                    } else if (mode.equals(WITHOUT_CASE_TABLE)) {
                        if (enforced != null) {
                            System.out.printf(
                                    Locale.ROOT,
                                    "keeping the case table current adds: insertion p50 %+.1f %%, p95 %+.1f %%; "
                                            + "all examples p50 %+.1f %%; target <= +10 %% (p50)%n",
                                    100 * (enforced.percentile(50) / insertions.percentile(50) - 1),
                                    100 * (enforced.percentile(95) / insertions.percentile(95) - 1),
                                    100 * (enforcedAll.percentile(50) / everyExample.percentile(50) - 1));
                        }
                    } else if (off != null) {
                        enforced = insertions;
                        enforcedAll = everyExample;
                        System.out.printf(
                                Locale.ROOT,
                                "validation adds: insertion p50 %+.0f %%, p95 %+.0f %%; "
                                        + "all examples p50 %+.0f %%%n",
                                100 * (insertions.percentile(50) / off.percentile(50) - 1),
                                100 * (insertions.percentile(95) / off.percentile(95) - 1),
                                100 * (everyExample.percentile(50) / offAll.percentile(50) - 1));
                        System.out.printf(
                                Locale.ROOT,
                                "targets: validated insertion p50 <= 15 ms, p95 <= 40 ms, " + "validation <= +30 %%%n");
                        validateCode(server);
                    }
                }
            }
        }
    }

    private Latencies creates(BenchmarkServer server, ObjectNode insertion, String mode) throws Exception {
        for (int i = 0; i < warmup; i++) {
            server.expect(
                    201, "PUT", "/fhir/Procedure/warm-" + mode + "-" + i, withId(insertion, "warm-" + mode + "-" + i));
        }
        Latencies latencies = new Latencies();
        for (int i = 0; i < writes; i++) {
            String id = "bench-" + mode + "-" + i;
            String body = withId(insertion, id);
            long started = System.nanoTime();
            server.expect(201, "PUT", "/fhir/Procedure/" + id, body);
            latencies.add(System.nanoTime() - started);
        }
        return latencies;
    }

    private Latencies exampleRounds(BenchmarkServer server, List<ObjectNode> examples) throws Exception {
        Latencies latencies = new Latencies();
        for (int round = 0; round < 5; round++) {
            for (ObjectNode example : examples) {
                // a real change each round (the resource's language), so every PUT stores a new version
                ObjectNode changed = example.deepCopy().put("language", round % 2 == 0 ? "en-GB" : "en");
                String path = "/fhir/" + example.path("resourceType").asText() + "/"
                        + example.path("id").asText();
                long started = System.nanoTime();
                server.expect(200, "PUT", path, JSON.writeValueAsString(changed));
                latencies.add(System.nanoTime() - started);
            }
        }
        return latencies;
    }

    private void validateCode(BenchmarkServer server) throws Exception {
        List<String> queries = new ArrayList<>();
        for (JsonNode valueSet : resources(terminologyDir, "ValueSet")) {
            for (JsonNode include : valueSet.path("compose").path("include")) {
                if (!include.path("system").asText().startsWith("https://mcs-fhir.org/")) {
                    continue;
                }
                for (JsonNode concept : include.path("concept")) {
                    queries.add("/fhir/ValueSet/$validate-code?url="
                            + encode(valueSet.path("url").asText())
                            + "&system=" + encode(include.path("system").asText())
                            + "&code=" + encode(concept.path("code").asText()));
                }
            }
        }
        Latencies cold = new Latencies();
        for (String query : queries) {
            long started = System.nanoTime();
            server.expect(200, "GET", query, null);
            cold.add(System.nanoTime() - started);
        }
        Latencies cached = new Latencies();
        for (int round = 0; round < 20; round++) {
            for (String query : queries) {
                long started = System.nanoTime();
                server.expect(200, "GET", query, null);
                cached.add(System.nanoTime() - started);
            }
        }
        System.out.printf(
                Locale.ROOT, "%n== ValueSet/$validate-code on the guide's %d local codes ==%n", queries.size());
        System.out.printf(
                Locale.ROOT,
                "cold (first call per code): p50 %.2f ms, p95 %.2f ms%n",
                cold.percentile(50),
                cold.percentile(95));
        System.out.printf(
                Locale.ROOT,
                "cached (20 more rounds): p50 %.2f ms, p95 %.2f ms (target p50 <= 2 ms)%n",
                cached.percentile(50),
                cached.percentile(95));
    }

    private static List<JsonNode> resources(Path dir, String type) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(type + "-"))
                    .sorted()
                    .toList()) {
                found.add(JSON.readTree(file.toFile()));
            }
        }
        return found;
    }

    private static String withId(ObjectNode resource, String id) throws Exception {
        ObjectNode copy = resource.deepCopy();
        copy.put("id", id);
        return JSON.writeValueAsString(copy);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
