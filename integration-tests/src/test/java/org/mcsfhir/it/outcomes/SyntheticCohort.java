package org.mcsfhir.it.outcomes;

import static org.mcsfhir.it.support.TestServer.fhir;
import static org.mcsfhir.testsupport.TransactionBundle.putEntry;

import java.time.LocalDate;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mcsfhir.testsupport.TransactionBundle;

/**
 * Generates registry cases that conform to the guide's profiles (the guide's examples are the templates), posts them
 * through the FHIR API in transaction Bundles, and keeps what the audit must find: per insertion its strata, time to
 * death or censoring, complications, support end, QoL scores and evidence items ({@link Expected}). The figures are
 * then computed from these records by the test ({@link ExpectedFigures}), independently of the server.
 *
 * <p>Everything is dated on or before the reference date (the data "as known" then). Ids carry a tag so that two
 * cohorts on one server never collide.
 */
final class SyntheticCohort {

    static final List<String> SURVIVAL_POINTS = List.of("30d", "180d", "1y");
    static final Map<String, Integer> POINT_DAYS = Map.of("30d", 30, "180d", 180, "1y", 365);
    static final Map<String, String> COMPLICATIONS = ordered(
            "pain",
            "http://snomed.info/sct|22253000|Pain",
            "bleeding",
            "http://snomed.info/sct|131148009|Bleeding",
            "haemolysis",
            "https://mcs-fhir.org/fhir/CodeSystem/mcs-complication-cs|haemolysis|Haemolysis",
            "stroke",
            "http://snomed.info/sct|230690007|Cerebrovascular accident",
            "pump-failure",
            "https://mcs-fhir.org/fhir/CodeSystem/mcs-complication-cs|pump-failure|Pump failure",
            "device-malfunction",
            "https://mcs-fhir.org/fhir/CodeSystem/mcs-complication-cs|device-malfunction|Device malfunction",
            "limb-ischaemia",
            "https://mcs-fhir.org/fhir/CodeSystem/mcs-complication-cs|limb-ischaemia|Limb ischaemia",
            "acute-kidney-injury",
            "http://snomed.info/sct|14669001|Acute kidney injury",
            "sepsis",
            "http://snomed.info/sct|91302008|Sepsis",
            "cardiac-perforation",
            "https://mcs-fhir.org/fhir/CodeSystem/mcs-complication-cs|cardiac-perforation|Cardiac perforation",
            "vascular-access-complication",
            "https://mcs-fhir.org/fhir/CodeSystem/mcs-complication-cs"
                    + "|vascular-access-complication|Vascular access complication",
            "aortic-valve-injury",
            "https://mcs-fhir.org/fhir/CodeSystem/mcs-complication-cs|aortic-valve-injury|Aortic valve injury",
            "thrombosis",
            "http://snomed.info/sct|439127006|Thrombosis");
    static final List<String> BARC = List.of("1", "2", "3a", "3b", "3c", "4", "5a", "5b");
    static final List<String> SUPPORT_END = List.of(
            "myocardial-recovery",
            "bridge-to-transplant",
            "bridge-to-durable-lvad",
            "escalation-va-ecmo",
            "escalation-other-mcs",
            "device-complication",
            "death-on-support",
            "palliation");
    static final Map<String, String> ACCESS = ordered(
            "femoral",
            "7657000|Structure of femoral artery",
            "axillary",
            "67937003|Structure of axillary artery",
            "subclavian",
            "36765005|Structure of subclavian artery",
            "direct-aortic",
            "54247002|Ascending aorta structure",
            "transcaval",
            "64131007|Inferior vena cava structure");
    /** Aetiology reasonCode (system|code|display) → expected stratum. */
    static final Map<String, String> AETIOLOGY = ordered(
            "http://snomed.info/sct|401303003|Acute ST segment elevation myocardial infarction",
            "ami",
            "http://snomed.info/sct|401314000|Acute non-ST segment elevation myocardial infarction",
            "ami",
            "http://snomed.info/sct|57054005|Acute myocardial infarction",
            "ami",
            "http://snomed.info/sct|50920009|Myocarditis",
            "non-ami",
            "https://mcs-fhir.org/fhir/CodeSystem/mcs-shock-aetiology-cs|acute-on-chronic-heart-failure"
                    + "|Acute-on-chronic heart failure",
            "non-ami",
            "https://mcs-fhir.org/fhir/CodeSystem/mcs-shock-aetiology-cs|post-cardiotomy"
                    + "|Post-cardiotomy cardiogenic shock",
            "non-ami",
            "https://mcs-fhir.org/fhir/CodeSystem/mcs-shock-aetiology-cs|other-aetiology|Other aetiology",
            "non-ami");

    static final Map<String, String> PREGNANCY = ordered(
            "pregnant", "http://snomed.info/sct|77386006|Pregnant",
            "postpartum-6w",
                    "https://mcs-fhir.org/fhir/CodeSystem/mcs-pregnancy-status-cs|postpartum-6w"
                            + "|Recently pregnant, within 6 weeks",
            "postpartum-1y",
                    "https://mcs-fhir.org/fhir/CodeSystem/mcs-pregnancy-status-cs|postpartum-1y"
                            + "|Recently pregnant, within 1 year",
            "not-pregnant", "http://snomed.info/sct|60001007|Not pregnant",
            "unknown", "http://loinc.org|LA4489-6|Unknown");
    static final List<String> MODELS = List.of("Impella CP", "Impella 2.5", "Impella 5.5");
    static final List<String> SCAI = List.of("A", "B", "C", "D", "E");

    enum ConsentMode {
        NONE,
        EXTENSION,
        RESOURCE
    }

    enum DeathSource {
        DECEASED,
        SUPPORT_OUTCOME,
        VITAL_STATUS_ONLY
    }

    enum SupportVia {
        OBSERVATION,
        REMOVAL,
        BOTH
    }

    record Complication(String type, int onsetDay, String barc, boolean viaDetail) {}

    /** One case to generate; mutable so that hand-worked cohorts read as a table. */
    static final class CaseSpec {
        int centre;
        String sex = "female";
        int age = 60;
        int birthOffsetDays = 100;
        LocalDate insertionDate;
        String model = "Impella CP";
        String access = "femoral";
        String aetiology = "http://snomed.info/sct|401303003|Acute ST segment elevation myocardial infarction";
        String scai = "D";
        String pregnancy;
        ConsentMode consent = ConsentMode.EXTENSION;
        Integer deathDay;
        DeathSource deathSource = DeathSource.DECEASED;
        String supportEnd;
        int supportEndDay;
        SupportVia supportVia = SupportVia.BOTH;
        final List<String> alivePoints = new ArrayList<>();
        final List<Complication> complications = new ArrayList<>();
        final Map<String, Double> eq5d = new TreeMap<>();
        final Map<String, Integer> vas = new TreeMap<>();
    }

    /** What the audit must find for one insertion (the same notions as the server's, computed here from the spec). */
    record Expected(
            String insertionId,
            Map<String, String> strata,
            Integer deathDay,
            int lastAliveDay,
            int dueDays,
            List<Complication> complications,
            String supportEnd,
            Map<String, Double> qol,
            Set<String> evidence) {

        boolean event() {
            return deathDay != null;
        }

        int time() {
            return deathDay != null ? deathDay : Math.min(lastAliveDay, dueDays);
        }
    }

    final String tag;
    final LocalDate referenceDate;
    final List<String> centres = new ArrayList<>();
    final List<Expected> expected = new ArrayList<>();
    private final List<CaseSpec> specs = new ArrayList<>();

    SyntheticCohort(String tag, int centreCount, LocalDate referenceDate) {
        this.tag = tag;
        this.referenceDate = referenceDate;
        for (int i = 1; i <= centreCount; i++) {
            centres.add("syn-" + tag + "-centre-" + i);
        }
    }

    void add(CaseSpec spec) {
        specs.add(spec);
    }

    /** A seeded random cohort over the period with every stratum, complication, BARC type and support end. */
    static SyntheticCohort random(
            String tag, long seed, int size, LocalDate periodStart, LocalDate periodEnd, LocalDate referenceDate) {
        Random random = new Random(seed);
        SyntheticCohort cohort = new SyntheticCohort(tag, 3, referenceDate);
        int periodDays = (int) ChronoUnit.DAYS.between(periodStart, periodEnd) + 1;
        List<Integer> horizons = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            CaseSpec s = new CaseSpec();
            s.centre = random.nextInt(3);
            double sex = random.nextDouble();
            s.sex = sex < 0.4 ? "female" : sex < 0.95 ? "male" : "other";
            int band = random.nextInt(4);
            s.age = switch (band) {
                case 0 -> 25 + random.nextInt(25);
                case 1 -> 50 + random.nextInt(15);
                case 2 -> 65 + random.nextInt(10);
                default -> 75 + random.nextInt(20);
            };
            s.birthOffsetDays = 1 + random.nextInt(300);
            s.insertionDate = periodStart.plusDays(random.nextInt(periodDays));
            s.model = MODELS.get(random.nextInt(MODELS.size()));
            double access = random.nextDouble();
            s.access = access < 0.6
                    ? "femoral"
                    : access < 0.75
                            ? "axillary"
                            : access < 0.85 ? "subclavian" : access < 0.93 ? "direct-aortic" : "transcaval";
            List<String> aetiologies = new ArrayList<>(AETIOLOGY.keySet());
            int a = random.nextInt(aetiologies.size() + 1);
            s.aetiology = a == aetiologies.size() ? null : aetiologies.get(a);
            s.scai = random.nextDouble() < 0.9 ? SCAI.get(random.nextInt(SCAI.size())) : null;
            if (s.sex.equals("female") && random.nextDouble() < 0.8) {
                s.pregnancy = new ArrayList<>(PREGNANCY.keySet()).get(random.nextInt(PREGNANCY.size()));
            }
            double consent = random.nextDouble();
            s.consent =
                    consent < 0.45 ? ConsentMode.EXTENSION : consent < 0.85 ? ConsentMode.RESOURCE : ConsentMode.NONE;

            int due = (int) ChronoUnit.DAYS.between(s.insertionDate, referenceDate);
            int horizon = due;
            if (random.nextDouble() < 0.35) {
                double when = random.nextDouble();
                int day = when < 0.4
                        ? random.nextInt(11)
                        : when < 0.7 ? 11 + random.nextInt(50) : 61 + random.nextInt(360);
                if (day <= due) {
                    s.deathDay = day;
                    horizon = day;
                    double source = random.nextDouble();
                    s.deathSource = day <= 10 && source < 0.5
                            ? DeathSource.SUPPORT_OUTCOME
                            : day <= 365 && source < 0.75 ? DeathSource.VITAL_STATUS_ONLY : DeathSource.DECEASED;
                }
            }
            if (s.deathDay == null && random.nextDouble() < 0.2) {
                horizon = random.nextInt(due + 1); // lost to follow-up: last contact somewhere before the reference
            }
            for (String point : SURVIVAL_POINTS) {
                int day = POINT_DAYS.get(point);
                if (day <= horizon && (s.deathDay == null || day < s.deathDay)) {
                    s.alivePoints.add(point);
                    if (random.nextDouble() < 0.6) {
                        s.eq5d.put(point, Math.round((random.nextDouble() * 1.2 - 0.2) * 1000) / 1000.0);
                    }
                    if (random.nextDouble() < 0.6) {
                        s.vas.put(point, random.nextInt(101));
                    }
                }
            }
            if (s.deathSource == DeathSource.SUPPORT_OUTCOME && s.deathDay != null) {
                s.supportEnd = "death-on-support";
                s.supportEndDay = s.deathDay;
            } else if (random.nextDouble() < 0.9) {
                List<String> reasons = SUPPORT_END.stream()
                        .filter(r -> !r.equals("death-on-support"))
                        .toList();
                s.supportEnd = reasons.get(random.nextInt(reasons.size()));
                s.supportEndDay = Math.min(1 + random.nextInt(10), horizon);
            }
            s.supportVia = SupportVia.values()[random.nextInt(3)];
            if (random.nextDouble() < 0.45) {
                int count = 1 + random.nextInt(3);
                for (int c = 0; c < count; c++) {
                    List<String> types = new ArrayList<>(COMPLICATIONS.keySet());
                    String type = types.get(random.nextInt(types.size()));
                    boolean longTerm = horizon >= 31 && random.nextDouble() < 0.4;
                    int onset =
                            longTerm ? 31 + random.nextInt(horizon - 30) : random.nextInt(Math.min(30, horizon) + 1);
                    String barc = type.equals("bleeding") && random.nextDouble() < 0.9
                            ? BARC.get(random.nextInt(BARC.size()))
                            : null;
                    s.complications.add(new Complication(type, onset, barc, random.nextBoolean()));
                }
            }
            cohort.add(s);
            horizons.add(horizon);
        }
        // every complication type and BARC type, short and long term, at least once
        int next = random.nextInt(size);
        List<String[]> combos = new ArrayList<>();
        for (String type : COMPLICATIONS.keySet()) {
            combos.add(new String[] {type, null, "short"});
            combos.add(new String[] {type, null, "long"});
        }
        for (String barc : BARC) {
            combos.add(new String[] {"bleeding", barc, "short"});
            combos.add(new String[] {"bleeding", barc, "long"});
        }
        for (String[] combo : combos) {
            boolean longTerm = combo[2].equals("long");
            while (longTerm && horizons.get(next) < 60) {
                next = (next + 1) % size;
            }
            int onset = longTerm
                    ? 31 + random.nextInt(horizons.get(next) - 30)
                    : random.nextInt(Math.min(30, horizons.get(next)) + 1);
            cohort.specs.get(next).complications.add(new Complication(combo[0], onset, combo[1], random.nextBoolean()));
            next = (next + 7) % size;
        }
        // every way support can end, at least once
        for (String reason : SUPPORT_END) {
            if (cohort.specs.stream().noneMatch(s -> reason.equals(s.supportEnd))) {
                throw new IllegalStateException("seed gives no " + reason + "; choose another seed");
            }
        }
        return cohort;
    }

    /** Posts every case, {@code perTransaction} cases per transaction Bundle, and records the expected figures. */
    void post(int perTransaction) {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < centres.size(); i++) {
            putEntry(entries, "Organization", centres.get(i), FhirJson.centre(centres.get(i), "ODS" + tag + i));
        }
        putEntry(entries, "Practitioner", "syn-" + tag + "-operator", FhirJson.operator("syn-" + tag + "-operator"));
        int inBundle = 0;
        for (int i = 0; i < specs.size(); i++) {
            writeCase(entries, i, specs.get(i));
            if (++inBundle == perTransaction || i == specs.size() - 1) {
                transaction(entries);
                entries.setLength(0);
                inBundle = 0;
            }
        }
        if (entries.length() > 0) {
            transaction(entries);
        }
    }

    private void writeCase(StringBuilder entries, int i, CaseSpec s) {
        String p = "syn-" + tag + "-" + i;
        String patient = p + "-patient";
        String insertion = p + "-insertion";
        String device = p + "-pump";
        String centre = centres.get(s.centre);
        LocalDate t0 = s.insertionDate;
        LocalDate birth = t0.minusYears(s.age).minusDays(s.birthOffsetDays);
        LocalDate deathDate = s.deathDay == null ? null : t0.plusDays(s.deathDay);
        boolean deceased = deathDate != null && s.deathSource != DeathSource.VITAL_STATUS_ONLY;

        putEntry(
                entries,
                "Patient",
                patient,
                FhirJson.patient(patient, s.sex, birth, centre, deceased ? deathDate : null));
        putEntry(entries, "Device", device, FhirJson.device(device, s.model, patient, centre));
        List<String> details = new ArrayList<>();
        for (int c = 0; c < s.complications.size(); c++) {
            Complication x = s.complications.get(c);
            String id = p + "-complication-" + c;
            putEntry(
                    entries,
                    "Condition",
                    id,
                    FhirJson.complication(
                            id, patient, COMPLICATIONS.get(x.type()), t0.plusDays(x.onsetDay()), x.barc()));
            if (x.viaDetail()) {
                details.add(id);
            }
        }
        String consentId = s.consent == ConsentMode.NONE ? null : p + "-consent";
        putEntry(
                entries,
                "Procedure",
                insertion,
                FhirJson.insertion(
                        insertion,
                        patient,
                        centre,
                        "syn-" + tag + "-operator",
                        device,
                        t0,
                        ACCESS.get(s.access),
                        s.aetiology,
                        s.consent == ConsentMode.EXTENSION ? consentId : null,
                        details));
        if (consentId != null) {
            putEntry(
                    entries,
                    "Consent",
                    consentId,
                    FhirJson.consent(
                            consentId, patient, centre, t0, s.consent == ConsentMode.RESOURCE ? insertion : null));
        }
        if (s.scai != null) {
            putEntry(entries, "Observation", p + "-scai", FhirJson.scai(p + "-scai", patient, centre, t0, s.scai));
        }
        if (s.pregnancy != null) {
            putEntry(
                    entries,
                    "Observation",
                    p + "-pregnancy",
                    FhirJson.pregnancy(p + "-pregnancy", patient, centre, t0, PREGNANCY.get(s.pregnancy)));
        }
        if (s.supportEnd != null) {
            LocalDate end = t0.plusDays(s.supportEndDay);
            boolean death = s.supportEnd.equals("death-on-support");
            if (s.supportVia != SupportVia.REMOVAL || death) {
                putEntry(
                        entries,
                        "Observation",
                        p + "-support-outcome",
                        FhirJson.supportOutcome(p + "-support-outcome", patient, insertion, centre, end, s.supportEnd));
            }
            if (s.supportVia != SupportVia.OBSERVATION && !death) {
                putEntry(
                        entries,
                        "Procedure",
                        p + "-removal",
                        FhirJson.removal(
                                p + "-removal",
                                patient,
                                insertion,
                                centre,
                                "syn-" + tag + "-operator",
                                device,
                                end,
                                s.supportEnd));
            }
        }
        for (String point : s.alivePoints) {
            putEntry(
                    entries,
                    "Observation",
                    p + "-vital-" + point,
                    FhirJson.vitalStatus(
                            p + "-vital-" + point,
                            patient,
                            insertion,
                            centre,
                            t0.plusDays(POINT_DAYS.get(point)),
                            point,
                            true));
        }
        if (deathDate != null && s.deathSource == DeathSource.VITAL_STATUS_ONLY) {
            String point = SURVIVAL_POINTS.stream()
                    .filter(pt -> POINT_DAYS.get(pt) >= s.deathDay)
                    .findFirst()
                    .orElseThrow();
            putEntry(
                    entries,
                    "Observation",
                    p + "-vital-dead",
                    FhirJson.vitalStatus(p + "-vital-dead", patient, insertion, centre, deathDate, point, false));
        }
        Map<String, Double> qol = new LinkedHashMap<>();
        s.eq5d.forEach((point, value) -> {
            putEntry(
                    entries,
                    "Observation",
                    p + "-eq5d-" + point,
                    FhirJson.qualityOfLife(
                            p + "-eq5d-" + point,
                            patient,
                            insertion,
                            centre,
                            t0.plusDays(POINT_DAYS.get(point)),
                            point,
                            "736534008",
                            "EuroQol five dimension five level index value",
                            value.toString()));
            qol.put("eq5d-index|" + point, value);
        });
        s.vas.forEach((point, value) -> {
            putEntry(
                    entries,
                    "Observation",
                    p + "-vas-" + point,
                    FhirJson.qualityOfLife(
                            p + "-vas-" + point,
                            patient,
                            insertion,
                            centre,
                            t0.plusDays(POINT_DAYS.get(point)),
                            point,
                            "736535009",
                            "EuroQol visual analogue score",
                            value.toString()));
            qol.put("eq-vas|" + point, value.doubleValue());
        });

        // what the audit must find, by the rules in docs/outcomes.md
        Map<String, String> strata = new LinkedHashMap<>();
        strata.put("sex", s.sex);
        int age = Period.between(birth, t0).getYears();
        strata.put("age-band", age < 50 ? "under-50" : age < 65 ? "50-64" : age < 75 ? "65-74" : "75-and-over");
        strata.put("pregnancy-status", s.pregnancy == null ? "not-recorded" : s.pregnancy);
        strata.put("device-model", s.model);
        strata.put("access-site", s.access);
        strata.put("centre", "Organization/" + centre);
        strata.put("scai-stage", s.scai == null ? "not-recorded" : s.scai);
        strata.put("aetiology", s.aetiology == null ? "not-recorded" : AETIOLOGY.get(s.aetiology));
        int lastAlive = 0;
        for (String point : s.alivePoints) {
            lastAlive = Math.max(lastAlive, POINT_DAYS.get(point));
        }
        for (String point : s.eq5d.keySet()) {
            lastAlive = Math.max(lastAlive, POINT_DAYS.get(point));
        }
        for (String point : s.vas.keySet()) {
            lastAlive = Math.max(lastAlive, POINT_DAYS.get(point));
        }
        if (s.supportEnd != null && !s.supportEnd.equals("death-on-support")) {
            lastAlive = Math.max(lastAlive, s.supportEndDay);
        }
        for (Complication x : s.complications) {
            lastAlive = Math.max(lastAlive, x.onsetDay());
        }
        Set<String> evidence = new TreeSet<>(List.of("access-site", "device"));
        if (s.consent != ConsentMode.NONE) {
            evidence.add("consent");
        }
        if (s.aetiology != null) {
            evidence.add("aetiology");
        }
        if (s.scai != null) {
            evidence.add("scai-stage");
        }
        if (s.pregnancy != null) {
            evidence.add("pregnancy-status");
        }
        if (s.supportEnd != null) {
            evidence.add("support-outcome");
        }
        if (!qol.isEmpty()) {
            evidence.add("quality-of-life");
        }
        for (String point : SURVIVAL_POINTS) {
            if (s.alivePoints.contains(point) || (s.deathDay != null && s.deathDay <= POINT_DAYS.get(point))) {
                evidence.add("vital-status-" + point);
            }
        }
        expected.add(new Expected(
                insertion,
                strata,
                s.deathDay,
                lastAlive,
                (int) ChronoUnit.DAYS.between(t0, referenceDate),
                List.copyOf(s.complications),
                s.supportEnd,
                qol,
                evidence));
    }

    private static void transaction(StringBuilder entries) {
        String bundle = TransactionBundle.of(entries);
        var response = fhir().body(bundle).post("/");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("transaction refused: " + response.statusCode() + " "
                    + response.asString()
                            .substring(0, Math.min(3000, response.asString().length())));
        }
    }

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
