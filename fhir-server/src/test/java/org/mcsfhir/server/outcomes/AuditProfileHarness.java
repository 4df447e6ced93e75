package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.context.FhirContext;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hl7.fhir.r4.model.Bundle;
import org.mcsfhir.server.cases.CaseRow;
import org.mcsfhir.server.guide.GuideCodes;
import org.mcsfhir.server.guide.GuideInstaller;

/**
 * Not a test: a main to profile {@code $audit}'s computation without the server (run it under JFR or sample it with
 * {@code jcmd Thread.print}). Builds case-table rows shaped like {@code AuditBenchmark}'s cohort, then times
 * {@link CaseBuilder}, {@link MeasureReportWriter} and HAPI's JSON encoding of the Bundle, round after round.
 * Arguments: cases (default 10,000), rounds (default 20), and optionally a file to write the last Bundle's JSON to,
 * so two versions of the code can be compared figure for figure, and "varied" to add the evidence shapes the
 * benchmark's cohort lacks.
 */
final class AuditProfileHarness {

    private static final LocalDate REFERENCE = LocalDate.parse("2026-06-30");
    private static final OutcomeAuditProperties PROPERTIES =
            new OutcomeAuditProperties(5, Duration.ofDays(7), Duration.ofHours(24));
    /** Complication codes as the rows hold them, in the order the cohort draws them from (kept for comparisons). */
    private static final List<String> COMPLICATION_TOKENS = List.of(
            sct("22253000"),
            sct("131148009"),
            local("haemolysis"),
            sct("230690007"),
            local("pump-failure"),
            local("device-malfunction"),
            local("limb-ischaemia"),
            sct("14669001"),
            sct("91302008"),
            local("cardiac-perforation"),
            local("vascular-access-complication"),
            local("aortic-valve-injury"),
            sct("439127006"));

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private AuditProfileHarness() {}

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<CaseRow> rows = benchmarkRows(size, new Random(775), args.length > 3 && args[3].equals("varied"));
        Clock clock = Clock.fixed(Instant.parse("2026-07-01T00:00:00Z"), ZoneOffset.UTC);
        MeasureReportWriter writer = new MeasureReportWriter(5, clock);
        FhirContext fhir = FhirContext.forR4Cached();
        StratumMaps maps = StratumMaps.fromGuide(GuideInstaller.guidePackage(), fhir);
        LocalDate start = LocalDate.parse("2024-01-01");
        LocalDate end = LocalDate.parse("2025-12-31");
        String json = null;
        for (int round = 0; round < rounds; round++) {
            // thread CPU time, not wall time: the machine this runs on is shared
            long t0 = CPU.getCurrentThreadCpuTime();
            List<AuditCase> cases = rows.stream()
                    .map(r -> CaseBuilder.build(r, REFERENCE, PROPERTIES, maps))
                    .toList();
            long t1 = CPU.getCurrentThreadCpuTime();
            Bundle bundle = writer.write(cases, start, end, null, REFERENCE);
            long t2 = CPU.getCurrentThreadCpuTime();
            json = fhir.newJsonParser().encodeResourceToString(bundle);
            long t3 = CPU.getCurrentThreadCpuTime();
            System.out.printf(
                    "[profile] %d cases, CPU time: build %d ms, reports %d ms, JSON %d ms (%d kB)%n",
                    cases.size(),
                    (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000,
                    (t3 - t2) / 1_000_000,
                    json.length() / 1024);
        }
        if (args.length > 2) {
            Files.writeString(Path.of(args[2]), json);
        }
    }

    /** Rows as the case table holds AuditBenchmark's cases (same shapes and proportions, over two years, 4 centres). */
    static List<CaseRow> benchmarkRows(int size, Random random, boolean varied) {
        List<CaseRow> rows = new ArrayList<>();
        LocalDate first = LocalDate.parse("2024-01-01");
        for (int i = 0; i < size; i++) {
            LocalDate t0 = first.plusDays(random.nextInt(730));
            String p = "bench-" + i;
            String sex = random.nextDouble() < 0.4 ? "female" : "male";
            String birth = t0.minusYears(30 + random.nextInt(60))
                    .minusDays(random.nextInt(300))
                    .toString();
            String model = random.nextBoolean() ? "Impella CP" : "Impella 5.5";
            String reasons = random.nextBoolean()
                    ? sct("401303003") + "," + sct("89138009")
                    : sct("50920009") + "," + sct("89138009");
            String site = random.nextDouble() < 0.8 ? sct("7657000") : sct("67937003");
            List<String> selection = new ArrayList<>();
            selection.add(p + "-scai|final|scai-shock-stage|" + t0 + "T09:30:00Z|" + "ABCDE".charAt(random.nextInt(5)));
            if (sex.equals("female")) {
                selection.add(p + "-pregnancy|final|82810-3|" + t0 + "T09:00:00Z|60001007");
            }
            List<String> outcomes = new ArrayList<>();
            boolean dies = random.nextDouble() < 0.35;
            int deathDay = random.nextInt(400);
            for (int day : new int[] {30, 180, 365}) {
                if (dies && deathDay <= day) {
                    break;
                }
                String point = day == 30 ? "30d" : day == 180 ? "180d" : "1y";
                outcomes.add(p + "-vital-" + point + "|final|vital-status|" + t0.plusDays(day) + "|438949009|" + point);
                if (random.nextBoolean()) {
                    outcomes.add(p + "-eq5d-" + point + "|final|736534008|" + t0.plusDays(day) + "|"
                            + String.format("%.3f", random.nextDouble()) + "|" + point);
                }
            }
            String reason = dies && deathDay < 8
                    ? "death-on-support"
                    : random.nextBoolean() ? "myocardial-recovery" : "bridge-to-durable-lvad";
            outcomes.add(p + "-support-outcome|final|support-outcome|" + t0.plusDays(Math.min(deathDay, 5)) + "|"
                    + reason + "|");
            String complications = random.nextDouble() < 0.33
                    ? p + "-bleeding||" + sct("131148009") + "|" + t0.plusDays(random.nextInt(60)) + "|3a"
                    : "";
            String deceased = null;
            String removals = "";
            if (varied) {
                // the branches the benchmark's cohort does not reach: other complications and BARC types, refuted
                // and late ones, deaths recorded on the patient or as a vital status, removals, EQ VAS, gaps
                List<String> types = COMPLICATION_TOKENS;
                List<String> more = new ArrayList<>();
                for (int k = random.nextInt(4); k > 0; k--) {
                    String verification = random.nextInt(10) == 0 ? "refuted" : "confirmed";
                    more.add(p + "-c" + k + "|" + verification + "|" + types.get(random.nextInt(types.size())) + "|"
                            + t0.plusDays(random.nextInt(900) - 5) + "|"
                            + AuditFigures.BARC_TYPES.get(random.nextInt(AuditFigures.BARC_TYPES.size())));
                }
                if (!complications.isEmpty()) {
                    more.add(complications);
                }
                complications = String.join(";", more.stream().sorted().toList());
                int r = random.nextInt(10);
                deceased = r == 0
                        ? "true"
                        : r == 1 ? t0.plusDays(random.nextInt(700)) + "T12:00:00+02:00" : r == 2 ? "false" : null;
                if (random.nextInt(3) == 0) {
                    removals = p + "-removal|completed|" + t0.plusDays(random.nextInt(20)) + "T08:00:00Z|"
                            + AuditFigures.SUPPORT_END_REASONS.get(random.nextInt(8));
                }
                if (random.nextInt(5) == 0) {
                    outcomes.add(p + "-dead|final|vital-status|" + t0.plusDays(random.nextInt(500)) + "|"
                            + GuideCodes.DEAD + "|" + (random.nextBoolean() ? "180d" : ""));
                }
                if (random.nextInt(4) == 0) {
                    outcomes.add(p + "-vas|final|736535009|" + t0.plusDays(random.nextInt(400)) + "|"
                            + random.nextInt(100) + "|" + AuditFigures.QOL_POINTS.get(random.nextInt(4)));
                }
                if (random.nextInt(8) == 0) {
                    sex = null;
                    birth = null;
                    model = null;
                    site = "";
                    reasons = "";
                }
            }
            long startAt = t0.atTime(10, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
            String centre = "Organization/bench-centre-" + (i % (varied ? 7 : 4));
            rows.add(new CaseRow(
                    p + "-insertion",
                    p + "-patient",
                    centre,
                    startAt,
                    t0.toString(),
                    true,
                    sex,
                    birth,
                    deceased,
                    p + "-pump",
                    model,
                    site,
                    reasons,
                    varied && i % 9 == 0 ? null : p + "-consent",
                    removals,
                    String.join(";", outcomes.stream().sorted().toList()),
                    complications,
                    String.join(";", selection.stream().sorted().toList())));
        }
        return rows;
    }

    private static String sct(String code) {
        return CaseRow.token(GuideCodes.SNOMED, code);
    }

    private static String local(String code) {
        return CaseRow.token(GuideCodes.COMPLICATION_SYSTEM, code);
    }
}
