package org.mcsfhir.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Procedure (after {@code bench.warmup} unmeasured ones) and rounds of every example; then
 * {@code ValueSet/$validate-code} for every code of the guide's local value sets, first call (cold) and repeated
 * (cached). Sequential requests from one client: latency, not throughput.
 *
 * <p>Each insertion is the guide's insertion 1 about a patient of its own (a copy of patient 1, stored before the
 * measured writes, not timed), as in a registry where a patient has one or two insertions: a case table row is re-read
 * per patient, and one patient with a thousand insertions would measure that patient, not a write.
 */
public final class ValidationBenchmark {

    private static final ObjectMapper JSON = GuideExamples.JSON;
    private final int warmup = Integer.getInteger("bench.warmup", 300);
    private final int writes = Integer.getInteger("bench.writes", 1000);
    /** Validation enforced with the case table's upkeep off: the baseline of what keeping the table current costs. */
    private static final String WITHOUT_CASE_TABLE = "enforce-without-case-table";
    /** The case table keeper's thread (cases.CaseTableKeeper), whose CPU time is the upkeep's cost. */
    private static final String KEEPER_THREAD = "mcs-case-table";

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
        ObjectNode insertion = example(examples, "mcs-example-insertion-1");
        ObjectNode patient = example(examples, "mcs-example-patient-1");
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
                    storePatients(server, patient, mode);
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
                    } else {
                        enforced = insertions;
                        enforcedAll = everyExample;
                    }
                    if (mode.equals("enforce") && off != null) {
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

    /** One patient per insertion to come, in transactions of 100 (not timed). */
    private void storePatients(BenchmarkServer server, ObjectNode patient, String mode) throws Exception {
        List<ObjectNode> batch = new ArrayList<>();
        for (int i = 0; i < warmup + writes; i++) {
            ObjectNode copy = patient.deepCopy();
            copy.put("id", patientId(mode, i));
            // the NHS number and the MRN are the example's own: keep only an MRN of this copy
            ObjectNode mrn = (ObjectNode) copy.path("identifier").get(1);
            copy.putArray("identifier").add(mrn.put("value", patientId(mode, i)));
            batch.add(copy);
            if (batch.size() == 100 || i == warmup + writes - 1) {
                server.expect(200, "POST", "/fhir", GuideExamples.transaction(batch));
                batch.clear();
            }
        }
    }

    private Latencies creates(BenchmarkServer server, ObjectNode insertion, String mode) throws Exception {
        for (int i = 0; i < warmup; i++) {
            String id = "warm-" + mode + "-" + i;
            server.expect(201, "PUT", "/fhir/Procedure/" + id, about(insertion, id, patientId(mode, i)));
        }
        double[] keeperBefore = keeperTime(server);
        double[] cpuBefore = ThreadCpu.of(server.pid(), KEEPER_THREAD);
        Latencies latencies = new Latencies();
        for (int i = 0; i < writes; i++) {
            String id = "bench-" + mode + "-" + i;
            String body = about(insertion, id, patientId(mode, warmup + i));
            long started = System.nanoTime();
            server.expect(201, "PUT", "/fhir/Procedure/" + id, body);
            latencies.add(System.nanoTime() - started);
        }
        double[] keeperAfter = keeperTime(server);
        double[] cpuAfter = ThreadCpu.of(server.pid(), KEEPER_THREAD);
        double batches = keeperAfter[0] - keeperBefore[0];
        double seconds = keeperAfter[1] - keeperBefore[1];
        System.out.printf(
                Locale.ROOT,
                "%s: case table keeper read %.0f batches in %.0f ms, %.2f ms per measured write; CPU per write: "
                        + "keeper thread %.2f ms, whole server %.2f ms%n",
                mode,
                batches,
                seconds * 1000,
                seconds * 1000 / writes,
                (cpuAfter[0] - cpuBefore[0]) / writes,
                (cpuAfter[1] - cpuBefore[1]) / writes);
        return latencies;
    }

    /** The case table keeper's batches so far and their total time in seconds ({@code mcs.cases.table.batch}). */
    private static double[] keeperTime(BenchmarkServer server) throws Exception {
        HttpResponse<String> response = BenchmarkServer.http()
                .send(
                        HttpRequest.newBuilder(URI.create(server.root() + "/actuator/metrics/mcs.cases.table.batch"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return new double[2]; // the upkeep is off: no batches
        }
        JsonNode metric = JSON.readTree(response.body());
        double[] countAndSeconds = new double[2];
        for (JsonNode m : metric.path("measurements")) {
            if (m.path("statistic").asText().equals("COUNT")) {
                countAndSeconds[0] = m.path("value").asDouble();
            } else if (m.path("statistic").asText().equals("TOTAL_TIME")) {
                countAndSeconds[1] = m.path("value").asDouble();
            }
        }
        return countAndSeconds;
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

    private static String about(ObjectNode insertion, String id, String patientId) throws Exception {
        ObjectNode copy = insertion.deepCopy();
        copy.put("id", id);
        copy.putObject("subject").put("reference", "Patient/" + patientId);
        return JSON.writeValueAsString(copy);
    }

    private static String patientId(String mode, int i) {
        return "bench-patient-" + mode + "-" + i;
    }

    private static ObjectNode example(List<ObjectNode> examples, String id) {
        return examples.stream()
                .filter(e -> e.path("id").asText().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
