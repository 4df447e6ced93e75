package org.mcsfhir.benchmarks;

import static org.mcsfhir.testsupport.TransactionBundle.putEntry;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mcsfhir.testsupport.TransactionBundle;

/**
 * The generated registry cohort the audit and dashboard benchmarks measure over, written through the FHIR API: four
 * implanting centres, then per case a patient, pump, insertion, consent, SCAI stage, pregnancy status for women, vital
 * status at 30/180 days and 1 year, support outcome, a complication for a third and QoL for half, in transaction
 * Bundles of 50 cases. Insertions fall on the 730 days from {@link #PERIOD_START}; the generator is seeded, so every
 * run and both benchmarks write the same cohort.
 */
final class InsertionCohort {

    /** First and last day the insertions fall on. */
    static final String PERIOD_START = "2024-01-01";

    static final String PERIOD_END = "2025-12-31";

    private static final String SD = "https://mcs-fhir.org/fhir/StructureDefinition/";
    private static final String CS = "https://mcs-fhir.org/fhir/CodeSystem/";

    private InsertionCohort() {}

    /**
     * Writes the centres and up to {@code cases} cases, stopping early (between Bundles) once {@code deadline} has
     * passed; returns how many cases were written.
     */
    static int seed(BenchmarkServer server, int cases, Instant deadline) throws Exception {
        Random random = new Random(775);
        LocalDate first = LocalDate.parse(PERIOD_START);
        int seeded = 0;
        server.expect(200, "POST", "/fhir", TransactionBundle.of(centres()));
        // two transactions in flight (2 cores): the cases are independent, so seeding is not the bottleneck
        ExecutorService posts = Executors.newFixedThreadPool(2);
        List<Future<?>> inFlight = new ArrayList<>();
        while (seeded < cases && Instant.now().isBefore(deadline)) {
            StringBuilder entries = new StringBuilder();
            int batch = Math.min(50, cases - seeded);
            for (int i = 0; i < batch; i++) {
                appendCase(entries, seeded + i, first.plusDays(random.nextInt(730)), random);
            }
            String bundle = TransactionBundle.of(entries.toString());
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
        return seeded;
    }

    /**
     * Asks {@code path} (an audit operation) every 2 s while it answers 503: the case table follows the writes on its
     * own thread, and the audit waits for it (MCS-1010) rather than answer over a partial table. Returns how long
     * that took.
     */
    static Duration awaitCaseTable(BenchmarkServer server, String path) throws Exception {
        Instant asked = Instant.now();
        while (server.send("GET", path, null).statusCode() == 503) {
            Thread.sleep(2_000);
        }
        return Duration.between(asked, Instant.now());
    }

    private static String centres() {
        StringBuilder entries = new StringBuilder();
        for (int c = 0; c < 4; c++) {
            putEntry(entries, "Organization", "bench-centre-" + c, """
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
        putEntry(entries, "Patient", p + "-patient", """
                {"resourceType":"Patient","id":"%s-patient","meta":{"profile":["%smcs-patient"]},
                 "identifier":[{"system":"https://mcs-fhir.org/fhir/example/bench/mrn","value":"%s"}],
                 "gender":"%s","birthDate":"%s","managingOrganization":{"reference":"Organization/%s"}}""".formatted(
                        p, SD, p, sex, t0.minusYears(30 + random.nextInt(60)).minusDays(random.nextInt(300)), centre));
        putEntry(entries, "Device", p + "-pump", """
                {"resourceType":"Device","id":"%s-pump","meta":{"profile":["%smcs-microaxial-pump"]},"status":"active",
                 "manufacturer":"Abiomed","serialNumber":"%s","deviceName":[{"name":"%s","type":"model-name"}],
                 "type":{"coding":[{"system":"http://snomed.info/sct","code":"360066001"}]},
                 "patient":{"reference":"Patient/%s-patient"}}""".formatted(
                        p, SD, p, random.nextBoolean() ? "Impella CP" : "Impella 5.5", p));
        putEntry(entries, "Procedure", p + "-insertion", """
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
        putEntry(entries, "Consent", p + "-consent", """
                {"resourceType":"Consent","id":"%s-consent","status":"active",
                 "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"treatment"}]},
                 "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
                 "patient":{"reference":"Patient/%s-patient"},"dateTime":"%sT09:45:00Z",
                 "provision":{"type":"permit","data":[{"meaning":"related","reference":{"reference":"Procedure/%s-insertion"}}]}}""".formatted(p, p, t0, p));
        putEntry(entries, "Observation", p + "-scai", """
                {"resourceType":"Observation","id":"%s-scai","status":"final",
                 "code":{"coding":[{"system":"%smcs-observation-code-cs","code":"scai-shock-stage"}]},
                 "subject":{"reference":"Patient/%s-patient"},"effectiveDateTime":"%sT09:30:00Z",
                 "valueCodeableConcept":{"coding":[{"system":"%smcs-scai-stage-cs","code":"%s"}]}}""".formatted(
                        p, CS, p, t0, CS, "ABCDE".charAt(random.nextInt(5))));
        if (sex.equals("female")) {
            putEntry(entries, "Observation", p + "-pregnancy", """
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
            putEntry(entries, "Observation", p + "-vital-" + point, """
                    {"resourceType":"Observation","id":"%s-vital-%s","status":"final",
                     "extension":[{"url":"%smcs-follow-up-point","valueCodeableConcept":{"coding":[{"system":"%smcs-follow-up-point-cs","code":"%s"}]}}],
                     "code":{"coding":[{"system":"%smcs-observation-code-cs","code":"vital-status"}]},
                     "subject":{"reference":"Patient/%s-patient"},"focus":[{"reference":"Procedure/%s-insertion"}],
                     "effectiveDateTime":"%s","valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"438949009"}]}}""".formatted(
                            p, point, SD, CS, point, CS, p, p, t0.plusDays(day)));
            if (random.nextBoolean()) {
                putEntry(entries, "Observation", p + "-eq5d-" + point, """
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
        putEntry(entries, "Observation", p + "-support-outcome", """
                {"resourceType":"Observation","id":"%s-support-outcome","status":"final",
                 "code":{"coding":[{"system":"%smcs-observation-code-cs","code":"support-outcome"}]},
                 "subject":{"reference":"Patient/%s-patient"},"focus":[{"reference":"Procedure/%s-insertion"}],
                 "effectiveDateTime":"%s","valueCodeableConcept":{"coding":[{"system":"%smcs-support-end-cs","code":"%s"}]}}""".formatted(
                        p, CS, p, p, t0.plusDays(Math.min(deathDay, 5)), CS, reason));
        if (random.nextDouble() < 0.33) {
            putEntry(entries, "Condition", p + "-bleeding", """
                    {"resourceType":"Condition","id":"%s-bleeding",
                     "category":[{"coding":[{"system":"%smcs-condition-category-cs","code":"complication"}]}],
                     "code":{"coding":[{"system":"http://snomed.info/sct","code":"131148009"}]},
                     "subject":{"reference":"Patient/%s-patient"},"onsetDateTime":"%s",
                     "stage":[{"summary":{"coding":[{"system":"%smcs-barc-bleeding-cs","code":"3a"}]}}]}""".formatted(
                            p, CS, p, t0.plusDays(random.nextInt(60)), CS));
        }
    }
}
