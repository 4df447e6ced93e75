package org.mcsfhir.server.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SafetyChartsTest {

    /*
     * Hand-computed, odds ratio R = 2, W = y·ln R − ln(1 − p + R·p):
     *   case  p    died  W                              CUSUM                  VLAD (Σ p − Σ y)
     *   1     0.5  yes   ln 2 − ln 1.5 =  0.287682      0.287682               −0.5
     *   2     0.2  no        − ln 1.2 = −0.182322       0.105361               −0.3
     *   3     0.2  yes   ln 2 − ln 1.2 =  0.510826      0.616186               −1.1
     *   4     0.5  no        − ln 1.5 = −0.405465       0.210721               −0.6
     *   5     0.5  no        − ln 1.5 = −0.405465       0 (never below 0)      −0.1
     */
    private static final List<SafetyCharts.Outcome> SEQUENCE = List.of(
            outcome(0.5, true), outcome(0.2, false), outcome(0.2, true), outcome(0.5, false), outcome(0.5, false));

    @Test
    void vladAndCusum_matchTheHandComputation() {
        List<SafetyCharts.Point> points = SafetyCharts.chart(SEQUENCE, 2.0, 4.5);
        assertThat(points).extracting(SafetyCharts.Point::order).containsExactly(1, 2, 3, 4, 5);
        assertThat(points).extracting(SafetyCharts.Point::observed).containsExactly(1, 0, 1, 0, 0);
        double[] cusum = {0.287682, 0.105361, 0.616186, 0.210721, 0.0};
        double[] vlad = {-0.5, -0.3, -1.1, -0.6, -0.1};
        for (int i = 0; i < points.size(); i++) {
            assertThat(points.get(i).cusum()).as("CUSUM %d", i + 1).isCloseTo(cusum[i], within(1e-6));
            assertThat(points.get(i).vlad()).as("VLAD %d", i + 1).isCloseTo(vlad[i], within(1e-9));
            assertThat(points.get(i).signal()).isFalse();
        }
    }

    @Test
    void reachingTheThreshold_signalsAndRestartsFromZero() {
        List<SafetyCharts.Point> points = SafetyCharts.chart(SEQUENCE, 2.0, 0.6);
        assertThat(points).extracting(SafetyCharts.Point::signal).containsExactly(false, false, true, false, false);
        assertThat(points.get(2).cusum()).isCloseTo(0.616186, within(1e-6));
        assertThat(points.get(3).cusum()).isZero(); // 0 − 0.405 floored at 0, not 0.211
    }

    @Test
    void aDeathWeighsMoreTheLowerItsExpectedRisk() {
        assertThat(SafetyCharts.weight(0.1, true, 2.0)).isGreaterThan(SafetyCharts.weight(0.6, true, 2.0));
        assertThat(SafetyCharts.weight(0.3, false, 2.0)).isNegative();
    }

    private static SafetyCharts.Outcome outcome(double expected, boolean died) {
        return new SafetyCharts.Outcome(LocalDate.parse("2026-01-01"), expected, died);
    }
}
