package org.mcsfhir.it.dashboard;

import static org.mcsfhir.it.security.SecureServer.claims;
import static org.mcsfhir.it.security.SecureServer.fhir;
import static org.mcsfhir.it.security.SecureServer.token;
import static org.mcsfhir.testsupport.TransactionBundle.putEntry;

import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.mcsfhir.it.outcomes.FhirJson;
import org.mcsfhir.testsupport.TransactionBundle;

/**
 * A few dozen generated registry cases in two implanting centres of the secure test server, written as a hospital
 * would: the centres and the operator by an administrator, each centre's cases by that centre's own EHR token, in
 * transaction Bundles. Deaths, censoring, complications with BARC types, support ends and QoL scores are spread by a
 * seeded random generator so that every view of the dashboard has something to draw; the figures the page must show
 * are asked of the server, not computed here.
 */
final class DashboardCohort {

    // no other IT writes insertions in 2001 (AuditDatasetIT uses 2005-05-05 on the same security server): the audit
    // over this period sees only these cases
    static final LocalDate PERIOD_START = LocalDate.parse("2001-01-01");
    static final LocalDate PERIOD_END = LocalDate.parse("2001-12-31");

    private static final String ADMIN =
            token("it-dashboard-admin", claims("admin", null, "system/Organization.cruds system/Practitioner.cruds"));
    private static final String[] COMPLICATIONS = {
        "http://snomed.info/sct|131148009|Bleeding",
        "http://snomed.info/sct|14669001|Acute kidney injury",
        "https://mcs-fhir.org/fhir/CodeSystem/mcs-complication-cs|limb-ischaemia|Limb ischaemia",
        "https://mcs-fhir.org/fhir/CodeSystem/mcs-complication-cs|haemolysis|Haemolysis"
    };
    private static final String[] BARC = {"2", "3a", "3b", "5a"};
    private static final String[] SUPPORT_END = {
        "myocardial-recovery", "bridge-to-transplant", "bridge-to-durable-lvad", "escalation-va-ecmo", "palliation"
    };
    private static final String[] SCAI = {"B", "C", "D", "E"};

    final String tag;
    final List<String> centres = new ArrayList<>();
    final List<String> pumps = new ArrayList<>();

    private DashboardCohort(String tag) {
        this.tag = tag;
    }

    /**
     * {@code perCentre} insertions in each of two centres during 2001, stored through the API. A centre's EHR may write
     * only what it can show to be its own, so each case goes in four steps (patients; their pumps, complications and
     * consents; the insertions; the outcome observations), each step one transaction per centre.
     */
    static DashboardCohort store(String tag, int perCentre, long seed) {
        DashboardCohort cohort = new DashboardCohort(tag);
        Random random = new Random(seed);
        String operator = "dash-" + tag + "-operator";
        for (int c = 1; c <= 2; c++) {
            String centre = "dash-" + tag + "-centre-" + c;
            cohort.centres.add(centre);
            put(ADMIN, "Organization", centre, FhirJson.centre(centre, "DSH" + tag + c));
        }
        put(ADMIN, "Practitioner", operator, FhirJson.operator(operator));
        for (String centre : cohort.centres) {
            StringBuilder[] steps = new StringBuilder[4];
            for (int k = 0; k < steps.length; k++) {
                steps[k] = new StringBuilder();
            }
            for (int i = 0; i < perCentre; i++) {
                cohort.writeCase(steps, centre + "-" + i, centre, operator, random);
            }
            String ehr = ehrToken(centre);
            for (StringBuilder step : steps) {
                transaction(ehr, step);
            }
        }
        return cohort;
    }

    static String ehrToken(String centre) {
        return token("it-dashboard-ehr-" + centre, claims("ehr", centre, "system/*.cruds"));
    }

    private void writeCase(StringBuilder[] steps, String p, String centre, String operator, Random random) {
        String patient = p + "-patient";
        String insertion = p + "-insertion";
        String pump = p + "-pump";
        pumps.add(pump);
        LocalDate t0 = PERIOD_START.plusDays(random.nextInt(360));
        LocalDate birth = t0.minusYears(40 + random.nextInt(45)).minusDays(random.nextInt(300));
        double fate = random.nextDouble();
        // about a quarter die (half of them within 30 days), a tenth are lost after the 30-day visit
        Integer deathDay = null;
        if (fate < 0.13) {
            deathDay = 1 + random.nextInt(29);
        } else if (fate < 0.25) {
            deathDay = 31 + random.nextInt(300);
        }
        boolean lost = deathDay == null && fate > 0.9;
        String sex = random.nextDouble() < 0.35 ? "female" : "male";
        putEntry(
                steps[0],
                "Patient",
                patient,
                FhirJson.patient(patient, sex, birth, centre, deathDay == null ? null : t0.plusDays(deathDay)));
        putEntry(
                steps[1],
                "Device",
                pump,
                FhirJson.device(pump, random.nextBoolean() ? "Impella CP" : "Impella 5.5", patient, centre));
        List<String> details = new ArrayList<>();
        if (random.nextDouble() < 0.4) {
            int k = random.nextInt(COMPLICATIONS.length);
            String id = p + "-complication";
            int onset = random.nextDouble() < 0.7 ? random.nextInt(20) : 40 + random.nextInt(100);
            if (deathDay != null && onset > deathDay) {
                onset = deathDay;
            }
            putEntry(
                    steps[1],
                    "Condition",
                    id,
                    FhirJson.complication(
                            id,
                            patient,
                            COMPLICATIONS[k],
                            t0.plusDays(onset),
                            k == 0 ? BARC[random.nextInt(BARC.length)] : null));
            details.add(id);
        }
        String consent = p + "-consent";
        boolean consented = random.nextDouble() < 0.8;
        putEntry(
                steps[2],
                "Procedure",
                insertion,
                FhirJson.insertion(
                        insertion,
                        patient,
                        centre,
                        operator,
                        pump,
                        t0,
                        random.nextDouble() < 0.8
                                ? "7657000|Structure of femoral artery"
                                : "67937003|Structure of axillary artery",
                        "http://snomed.info/sct|401303003|Acute ST segment elevation myocardial infarction",
                        consented ? consent : null,
                        details));
        if (consented) {
            putEntry(steps[1], "Consent", consent, FhirJson.consent(consent, patient, centre, t0, null));
        }
        putEntry(
                steps[1],
                "Observation",
                p + "-scai",
                FhirJson.scai(p + "-scai", patient, centre, t0, SCAI[random.nextInt(SCAI.length)]));
        String end = deathDay != null && deathDay <= 5
                ? "death-on-support"
                : SUPPORT_END[random.nextInt(SUPPORT_END.length)];
        int endDay = end.equals("death-on-support") ? deathDay.intValue() : 2 + random.nextInt(4);
        putEntry(
                steps[3],
                "Observation",
                p + "-support-outcome",
                FhirJson.supportOutcome(p + "-support-outcome", patient, insertion, centre, t0.plusDays(endDay), end));
        int[] days = {30, 180, 365};
        String[] points = {"30d", "180d", "1y"};
        for (int k = 0; k < days.length; k++) {
            boolean reached = deathDay == null || deathDay > days[k];
            if (!reached || (lost && k > 0)) {
                break;
            }
            String vital = p + "-vital-" + points[k];
            putEntry(
                    steps[3],
                    "Observation",
                    vital,
                    FhirJson.vitalStatus(vital, patient, insertion, centre, t0.plusDays(days[k]), points[k], true));
            String eq5d = p + "-eq5d-" + points[k];
            putEntry(
                    steps[3],
                    "Observation",
                    eq5d,
                    FhirJson.qualityOfLife(
                            eq5d,
                            patient,
                            insertion,
                            centre,
                            t0.plusDays(days[k]),
                            points[k],
                            "736534008",
                            "EuroQol five dimension five level index value",
                            String.valueOf(Math.round((0.3 + random.nextDouble() * 0.65) * 1000) / 1000.0)));
            String vas = p + "-vas-" + points[k];
            putEntry(
                    steps[3],
                    "Observation",
                    vas,
                    FhirJson.qualityOfLife(
                            vas,
                            patient,
                            insertion,
                            centre,
                            t0.plusDays(days[k]),
                            points[k],
                            "736535009",
                            "EuroQol visual analogue score",
                            String.valueOf(40 + random.nextInt(55))));
        }
    }

    private static void put(String token, String type, String id, String json) {
        Response response = fhir(token).body(json).put("/" + type + "/" + id);
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IllegalStateException(type + " refused: " + response.statusCode() + " " + response.asString());
        }
    }

    private static void transaction(String token, StringBuilder entries) {
        String bundle = TransactionBundle.of(entries);
        Response response = fhir(token).body(bundle).post("/");
        if (response.statusCode() != 200) {
            String body = response.asString();
            throw new IllegalStateException("transaction refused: " + response.statusCode() + " "
                    + body.substring(0, Math.min(3000, body.length())));
        }
    }
}
