package org.mcsfhir.server.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class KaplanMeierTest {

    /*
     * Hand-worked example, 10 subjects (days; d = death, c = censored):
     *   3d, 5c, 7d, 7d, 7c, 10d, 12c, 15d, 20c, 25c
     *
     *   t   at risk n  deaths d  censored  S(t)                     Greenwood Σ d/(n(n-d))      SE = S·√Σ  log-log 95 % CI
     *   3      10         1        0       0.9                      1/90            = 0.011111  0.0949     0.4730 – 0.9853
     *   5       9         0        1       0.9
     *   7       8         2        1       0.9·6/8   = 0.675        + 2/48          = 0.052778  0.1551     0.2906 – 0.8825
     *  10       5         1        0       0.675·4/5 = 0.54         + 1/20          = 0.102778  0.1731     0.1812 – 0.8007
     *  12       4         0        1       0.54
     *  15       3         1        0       0.54·2/3  = 0.36         + 1/6           = 0.269444  0.1869     0.0629 – 0.6856
     *  20, 25   2, 1      0        1 each  0.36
     *
     * log-log CI: θ = log(-log S), se(θ) = √Σ / |log S|, CI = [S^exp(1.959964·se(θ)), S^exp(-1.959964·se(θ))].
     * At t = 7 the censoring at 7 ties with the deaths: deaths first, so n = 8 at 7 (the censored one still at risk).
     */
    private static final List<KaplanMeier.Observation> WORKED = KaplanMeier.of(
            new int[] {3, 5, 7, 7, 7, 10, 12, 15, 20, 25},
            new boolean[] {true, false, true, true, false, true, false, true, false, false});

    @Test
    void handWorkedExample_matchesToTheThirdDecimal() {
        assertEstimate(KaplanMeier.at(WORKED, 3), 0.9, 0.0949, 0.4730, 0.9853);
        assertEstimate(KaplanMeier.at(WORKED, 7), 0.675, 0.1551, 0.2906, 0.8825);
        assertEstimate(KaplanMeier.at(WORKED, 10), 0.54, 0.1731, 0.1812, 0.8007);
        assertEstimate(KaplanMeier.at(WORKED, 15), 0.36, 0.1869, 0.0629, 0.6856);
        assertEstimate(KaplanMeier.at(WORKED, 30), 0.36, 0.1869, 0.0629, 0.6856);
    }

    @Test
    void handWorkedExample_countsAtRiskEventsAndCensoring() {
        KaplanMeier.Estimate at7 = KaplanMeier.at(WORKED, 7);
        assertThat(at7.atRisk()).isEqualTo(8);
        assertThat(at7.events()).isEqualTo(3);
        assertThat(at7.censoredBefore()).isEqualTo(1);
        KaplanMeier.Estimate at30 = KaplanMeier.at(WORKED, 30);
        assertThat(at30.atRisk()).isZero();
        assertThat(at30.events()).isEqualTo(5);
        assertThat(at30.censoredBefore()).isEqualTo(5);
    }

    @Test
    void beforeTheFirstDeath_survivalIsOneWithoutInterval() {
        KaplanMeier.Estimate at2 = KaplanMeier.at(WORKED, 2);
        assertThat(at2.survival()).isEqualTo(1.0);
        assertThat(at2.standardError()).isZero();
        assertThat(at2.hasInterval()).isFalse();
        assertThat(at2.atRisk()).isEqualTo(10);
    }

    @Test
    void noEvents_survivalIsOne() {
        KaplanMeier.Estimate e = KaplanMeier.at(KaplanMeier.of(new int[] {10, 40, 400}, new boolean[3]), 365);
        assertThat(e.survival()).isEqualTo(1.0);
        assertThat(e.events()).isZero();
        assertThat(e.atRisk()).isEqualTo(1);
        assertThat(e.censoredBefore()).isEqualTo(2);
        assertThat(e.hasInterval()).isFalse();
    }

    @Test
    void allCensoredBeforeTheTimePoint_survivalStaysOneAndNobodyIsAtRisk() {
        KaplanMeier.Estimate e = KaplanMeier.at(KaplanMeier.of(new int[] {1, 2, 3}, new boolean[3]), 30);
        assertThat(e.survival()).isEqualTo(1.0);
        assertThat(e.atRisk()).isZero();
        assertThat(e.censoredBefore()).isEqualTo(3);
    }

    @Test
    void tieBetweenDeathAndCensoring_deathsComeFirst() {
        // 4 subjects: death at 5, censored at 5, two followed to 10. Deaths first: S(5) = 1 - 1/4 = 0.75
        // (censored first would give 1 - 1/3 = 0.667).
        KaplanMeier.Estimate e =
                KaplanMeier.at(KaplanMeier.of(new int[] {5, 5, 10, 10}, new boolean[] {true, false, false, false}), 5);
        assertThat(e.survival()).isCloseTo(0.75, within(1e-9));
        assertThat(e.atRisk()).isEqualTo(4);
        // Greenwood: 0.75 * sqrt(1/(4*3)) = 0.2165
        assertThat(e.standardError()).isCloseTo(0.2165, within(5e-4));
    }

    @Test
    void everybodyDies_survivalIsZeroWithoutInterval() {
        KaplanMeier.Estimate e = KaplanMeier.at(KaplanMeier.of(new int[] {1, 2}, new boolean[] {true, true}), 30);
        assertThat(e.survival()).isZero();
        assertThat(e.hasInterval()).isFalse();
        assertThat(e.events()).isEqualTo(2);
    }

    @Test
    void nobodyFollowed_isNaN() {
        assertThat(KaplanMeier.at(List.of(), 30).survival()).isNaN();
    }

    private static void assertEstimate(KaplanMeier.Estimate e, double s, double se, double lower, double upper) {
        assertThat(e.survival()).isCloseTo(s, within(5e-4));
        assertThat(e.standardError()).isCloseTo(se, within(5e-4));
        assertThat(e.lower()).isCloseTo(lower, within(5e-4));
        assertThat(e.upper()).isCloseTo(upper, within(5e-4));
    }

    @Test
    void steps_dayZeroThenEveryDayWithADeathOrCensoring_agreeWithThePointEstimates() {
        List<KaplanMeier.Step> steps = KaplanMeier.steps(WORKED, 365);
        assertThat(steps).extracting(KaplanMeier.Step::day).containsExactly(0, 3, 5, 7, 10, 12, 15, 20, 25);
        for (KaplanMeier.Step step : steps) {
            KaplanMeier.Estimate at = KaplanMeier.at(WORKED, step.day());
            assertThat(step.survival()).as("S(%d)", step.day()).isCloseTo(at.survival(), within(1e-12));
            assertThat(step.atRisk()).as("at risk at %d", step.day()).isEqualTo(at.atRisk());
            if (at.hasInterval()) {
                assertThat(step.lower()).isCloseTo(at.lower(), within(1e-12));
                assertThat(step.upper()).isCloseTo(at.upper(), within(1e-12));
            }
        }
        KaplanMeier.Step at7 = steps.get(3);
        assertThat(at7.events()).isEqualTo(2);
        assertThat(at7.censored()).isEqualTo(1);
        assertThat(at7.atRisk()).isEqualTo(8);
        assertThat(steps.get(8).atRisk()).isEqualTo(1);
    }

    @Test
    void steps_whereGreenwoodsVarianceIsZero_theIntervalIsThePoint() {
        KaplanMeier.Step start = KaplanMeier.steps(WORKED, 365).get(0);
        assertThat(start.survival()).isEqualTo(1.0);
        assertThat(start.lower()).isEqualTo(1.0);
        assertThat(start.upper()).isEqualTo(1.0);
        KaplanMeier.Step last = KaplanMeier.steps(KaplanMeier.of(new int[] {1, 2}, new boolean[] {true, true}), 365)
                .get(2);
        assertThat(last.survival()).isZero();
        assertThat(last.lower()).isZero();
        assertThat(last.upper()).isZero();
    }

    @Test
    void steps_stopAtTheLastDay_andNobodyFollowedGivesNoCurve() {
        List<KaplanMeier.Step> steps =
                KaplanMeier.steps(KaplanMeier.of(new int[] {0, 30, 400}, new boolean[] {true, false, true}), 365);
        assertThat(steps).extracting(KaplanMeier.Step::day).containsExactly(0, 30);
        assertThat(steps.get(0).events()).isEqualTo(1);
        assertThat(steps.get(0).survival()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(KaplanMeier.steps(List.of(), 365)).isEmpty();
    }
}
