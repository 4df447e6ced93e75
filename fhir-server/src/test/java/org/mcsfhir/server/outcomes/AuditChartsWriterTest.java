package org.mcsfhir.server.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

class AuditChartsWriterTest {

    /*
     * Centre a: stage C died day 3, stage C alive (followed 400 d), stage E died day 10, stage C censored at day 12
     * (status at 30 d unknown). Centre b: stage E alive, stage E died day 40 (alive at 30 d).
     * National 30-day mortality: known 5 (all but the censored), deaths by day 30: 2 -> 0.4.
     * Stage C: known 2, 1 death -> 0.5; stage E: known 3, 1 death -> 0.3333.
     */
    private static final List<AuditCase> NATIONAL = List.of(
            insertion("p1", "a", "2026-01-05", "C", "female", 3, 3),
            insertion("p2", "a", "2026-01-03", "C", "male", null, 400),
            insertion("p3", "a", "2026-01-03", "E", "male", 10, 10),
            insertion("p4", "a", "2026-02-01", "C", "male", null, 12),
            insertion("p5", "b", "2026-01-10", "E", "female", null, 400),
            insertion("p6", "b", "2026-01-11", "E", "male", 40, 40));

    private final AuditChartsWriter writer = new AuditChartsWriter(5);

    @Test
    void oneCentre_getsOnlyItsOwnPointsButNationalRatesAndExpectedRisks() {
        List<AuditCase> cohort = NATIONAL.stream()
                .filter(c -> c.centre().equals("Organization/a"))
                .toList();
        Parameters charts = writer.write(NATIONAL, cohort, null);

        ParametersParameterComponent mortality = charts.getParameter().stream()
                .filter(p -> p.getName().equals("funnel"))
                .findFirst()
                .orElseThrow();
        assertThat(decimal(mortality, "nationalRate")).isEqualByComparingTo("0.4");
        List<ParametersParameterComponent> centres = parts(mortality, "centre");
        assertThat(centres).hasSize(1);
        assertThat(value(centres.get(0), "centre")).isEqualTo("Organization/a");
        assertThat(value(centres.get(0), "n")).isEqualTo("3");
        assertThat(value(centres.get(0), "events")).isEqualTo("2");
        assertThat(value(centres.get(0), "smallCell")).isEqualTo("true");

        List<ParametersParameterComponent> safety = charts.getParameter().stream()
                .filter(p -> p.getName().equals("safety"))
                .toList();
        assertThat(safety).hasSize(1);
        // time order: p2 and p3 on 01-03 (id order), then p1; p4 unknown at 30 d is left out
        List<ParametersParameterComponent> cases = parts(safety.get(0), "case");
        assertThat(cases).extracting(c -> value(c, "expected")).containsExactly("0.5000", "0.3333", "0.5000");
        assertThat(cases).extracting(c -> value(c, "observed")).containsExactly("0", "1", "1");
        assertThat(decimal(cases.get(2), "vlad")).isEqualByComparingTo("-0.6667");

        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(charts);
        assertThat(json).doesNotContain("Organization/b", "\"p1\"", "p2", "p3", "p5");
        assertThat(value(charts.getParameter().get(charts.getParameter().size() - 1), null))
                .isEqualTo("4");
    }

    @Test
    void survival_overallThenOneCurvePerStratumInAuditOrder() {
        Parameters charts = writer.write(NATIONAL, NATIONAL, Stratification.SEX);
        List<ParametersParameterComponent> curves = charts.getParameter().stream()
                .filter(p -> p.getName().equals("survival"))
                .toList();
        assertThat(curves)
                .extracting(c -> value(c, "stratum"))
                .containsExactly("all", "female", "male", "other", "unknown");
        ParametersParameterComponent all = curves.get(0);
        assertThat(parts(all, "point")).extracting(p -> value(p, "day")).containsExactly("0", "3", "10", "12", "40");
        assertThat(parts(all, "risk")).extracting(p -> value(p, "atRisk")).containsExactly("6", "3", "2", "2", "2");
        assertThat(value(curves.get(3), "n")).isEqualTo("0");
        assertThat(parts(curves.get(3), "point")).isEmpty();
    }

    @Test
    void chartsAskedFor_onlyThoseAndTheCohortSize() {
        assertThat(names(writer.write(NATIONAL, NATIONAL, null, Set.of(AuditChartsWriter.SURVIVAL))))
                .containsExactly("survival", "n");
        assertThat(names(writer.write(
                        NATIONAL, NATIONAL, null, Set.of(AuditChartsWriter.FUNNEL, AuditChartsWriter.SAFETY))))
                .containsExactly("funnel", "funnel", "safety", "safety", "n");
        assertThat(names(writer.write(NATIONAL, NATIONAL, null)))
                .containsExactly("survival", "funnel", "funnel", "safety", "safety", "n");
        Parameters safetyOnly = writer.write(NATIONAL, NATIONAL, null, Set.of(AuditChartsWriter.SAFETY));
        Parameters all = writer.write(NATIONAL, NATIONAL, null);
        assertThat(safetyOnly
                        .getParameter()
                        .get(0)
                        .equalsDeep(all.getParameter().stream()
                                .filter(p -> p.getName().equals("safety"))
                                .findFirst()
                                .orElseThrow()))
                .isTrue();
    }

    @Test
    void filter_keepsTheAskedStrataAndRefusesUnknownCodes() {
        AuditFilter women = AuditFilter.parse(new StringType("female"), null, null);
        assertThat(women.apply(NATIONAL)).extracting(AuditCase::insertionId).containsExactly("p1", "p5");
        assertThat(AuditFilter.NONE.apply(NATIONAL)).hasSize(6);
        assertThatThrownBy(() -> AuditFilter.parse(null, new StringType("40-49"), null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("MCS-1021");
    }

    private static AuditCase insertion(
            String id, String centre, String date, String stage, String sex, Integer deathDay, int lastAlive) {
        return new AuditCase(
                id,
                "Organization/" + centre,
                LocalDate.parse(date),
                Map.of(Stratification.SCAI_STAGE, stage, Stratification.SEX, sex),
                deathDay,
                lastAlive,
                500,
                List.of(),
                null,
                Map.of(),
                Set.of());
    }

    private static List<String> names(Parameters parameters) {
        return parameters.getParameter().stream()
                .map(ParametersParameterComponent::getName)
                .toList();
    }

    private static List<ParametersParameterComponent> parts(ParametersParameterComponent p, String name) {
        return p.getPart().stream().filter(x -> x.getName().equals(name)).toList();
    }

    private static String value(ParametersParameterComponent p, String name) {
        ParametersParameterComponent part = name == null ? p : parts(p, name).get(0);
        return part.getValue().primitiveValue();
    }

    private static BigDecimal decimal(ParametersParameterComponent p, String name) {
        return new BigDecimal(value(p, name));
    }
}
