package org.mcsfhir.server.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class StratificationTest {

    @Test
    void ageBands_haveTheirBoundariesAtFiftySixtyFiveAndSeventyFive() {
        assertThat(Stratification.ageBand(49)).isEqualTo("under-50");
        assertThat(Stratification.ageBand(50)).isEqualTo("50-64");
        assertThat(Stratification.ageBand(64)).isEqualTo("50-64");
        assertThat(Stratification.ageBand(65)).isEqualTo("65-74");
        assertThat(Stratification.ageBand(74)).isEqualTo("65-74");
        assertThat(Stratification.ageBand(75)).isEqualTo("75-and-over");
    }

    @Test
    void strata_listTheFixedOnesEvenWhenEmptyThenOthersThenNotRecorded() {
        List<AuditCase> cases = List.of(
                caseWith("Impella CP", "male"), caseWith("not-recorded", "male"), caseWith("Impella 5.5", "male"));
        assertThat(Stratification.strataOf(Stratification.SEX, cases))
                .containsExactly("female", "male", "other", "unknown");
        assertThat(Stratification.strataOf(Stratification.DEVICE_MODEL, cases))
                .containsExactly("Impella 5.5", "Impella CP", "not-recorded");
    }

    @Test
    void quartiles_interpolateLinearlyBetweenOrderStatistics() {
        double[] values = {0.2, 0.5, 0.6, 0.9};
        // (n-1)p: 0.75 -> 0.2 + 0.75*0.3 = 0.425; 1.5 -> 0.55; 2.25 -> 0.6 + 0.25*0.3 = 0.675
        assertThat(AuditFigures.quantile(values, 0.25)).isCloseTo(0.425, Assertions.within(1e-9));
        assertThat(AuditFigures.quantile(values, 0.5)).isCloseTo(0.55, Assertions.within(1e-9));
        assertThat(AuditFigures.quantile(values, 0.75)).isCloseTo(0.675, Assertions.within(1e-9));
    }

    private static AuditCase caseWith(String model, String sex) {
        return new AuditCase(
                "x",
                "Organization/c",
                LocalDate.parse("2026-01-01"),
                Map.of(Stratification.DEVICE_MODEL, model, Stratification.SEX, sex),
                null,
                0,
                0,
                List.of(),
                null,
                Map.of(),
                Set.of());
    }
}
