package org.mcsfhir.server.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MeasureReport;
import org.junit.jupiter.api.Test;

class MeasureReportWriterTest {

    @Test
    void tenThousandCases_areWrittenAndEncodedQuickly() {
        List<AuditCase> cases = randomCases(10_000, new Random(1));
        MeasureReportWriter writer = new MeasureReportWriter(5, Clock.systemUTC());
        LocalDate day = LocalDate.parse("2026-01-01");
        writer.write(cases, day, day, null, day); // warm-up
        long start = System.nanoTime();
        Bundle bundle = writer.write(cases, day, day, null, day);
        long written = System.nanoTime();
        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle);
        long encoded = System.nanoTime();
        System.out.printf(
                "[writer] 10,000 cases: reports %d ms, JSON %d ms, %d kB%n",
                (written - start) / 1_000_000, (encoded - written) / 1_000_000, json.length() / 1024);
        assertThat(bundle.getEntry()).hasSize(AuditFigures.MEASURES.size());
        MeasureReport insertions = (MeasureReport) bundle.getEntryFirstRep().getResource();
        assertThat(insertions.getGroupFirstRep().getPopulationFirstRep().getCount())
                .isEqualTo(10_000);
        assertThat(insertions.getGroupFirstRep().getStratifier())
                .extracting(s -> s.getCodeFirstRep().getText())
                .containsExactlyElementsOf(Stratification.STRATIFIERS.keySet());
    }

    static List<AuditCase> randomCases(int n, Random random) {
        List<AuditCase> cases = new ArrayList<>();
        List<String> types = new ArrayList<>(AuditFigures.COMPLICATION_TYPES);
        for (int i = 0; i < n; i++) {
            Map<String, String> strata = new HashMap<>();
            strata.put(Stratification.SEX, random.nextBoolean() ? "female" : "male");
            strata.put(Stratification.AGE_BAND, Stratification.ageBand(30 + random.nextInt(60)));
            strata.put(Stratification.PREGNANCY, "not-recorded");
            strata.put(Stratification.DEVICE_MODEL, random.nextBoolean() ? "Impella CP" : "Impella 5.5");
            strata.put(Stratification.ACCESS_SITE, "femoral");
            strata.put(Stratification.CENTRE, "Organization/c" + random.nextInt(4));
            strata.put(
                    Stratification.SCAI_STAGE,
                    "ABCDE".substring(random.nextInt(5)).substring(0, 1));
            strata.put(Stratification.AETIOLOGY, random.nextBoolean() ? "ami" : "non-ami");
            Integer death = random.nextDouble() < 0.3 ? random.nextInt(400) : null;
            cases.add(new AuditCase(
                    "i" + i,
                    "Organization/c0",
                    LocalDate.parse("2026-01-01"),
                    strata,
                    death,
                    random.nextInt(400),
                    500,
                    List.of(new AuditCase.Complication(
                            types.get(random.nextInt(types.size())), random.nextInt(60), null)),
                    "myocardial-recovery",
                    Map.of("eq5d-index|180d", random.nextDouble()),
                    Set.of("consent", "device")));
        }
        return cases;
    }
}
