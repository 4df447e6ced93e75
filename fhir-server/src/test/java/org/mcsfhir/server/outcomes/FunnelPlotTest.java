package org.mcsfhir.server.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FunnelPlotTest {

    /*
     * Expected values from an independent computation (Python, scipy.stats.binom): r = binom.ppf(p, n, p0),
     * alpha = (binom.cdf(r) - p) / binom.pmf(r), limit = (r - alpha) / n (Spiegelhalter 2005, appendix A.1.1).
     */
    @Test
    void exactBinomialLimits_matchAnIndependentComputation() {
        assertLimits(FunnelPlot.limits(0.4, 20), 0.057708, 0.162916, 0.594407, 0.723620);
        assertLimits(FunnelPlot.limits(0.4, 100), 0.246988, 0.300144, 0.492031, 0.548574);
    }

    @Test
    void lowerLimitBelowZero_isClampedToZero() {
        // the interpolation gives -0.016119 for the 99.8 % lower limit here: a rate cannot be negative
        assertLimits(FunnelPlot.limits(0.1, 50), 0.0, 0.013863, 0.179723, 0.240128);
    }

    @Test
    void limitsNarrowAsTheCentreGrows() {
        FunnelPlot.Limits small = FunnelPlot.limits(0.4, 20);
        FunnelPlot.Limits large = FunnelPlot.limits(0.4, 100);
        assertThat(large.upper95() - large.lower95()).isLessThan(small.upper95() - small.lower95());
        assertThat(small.lower998()).isLessThan(small.lower95());
        assertThat(small.upper998()).isGreaterThan(small.upper95());
    }

    @Test
    void outside_namesTheWidestLimitCrossed() {
        FunnelPlot.Limits limits = FunnelPlot.limits(0.4, 100);
        assertThat(FunnelPlot.outside(0.40, limits)).isEqualTo("none");
        assertThat(FunnelPlot.outside(0.52, limits)).isEqualTo("95");
        assertThat(FunnelPlot.outside(0.28, limits)).isEqualTo("95");
        assertThat(FunnelPlot.outside(0.60, limits)).isEqualTo("99.8");
        assertThat(FunnelPlot.outside(0.20, limits)).isEqualTo("99.8");
    }

    @Test
    void limitSizes_everyNUpToSixtyElseSpreadButAlwaysTheCentres() {
        assertThat(FunnelPlot.limitSizes(List.of(3, 7))).containsExactly(1, 2, 3, 4, 5, 6, 7);
        List<Integer> sizes = FunnelPlot.limitSizes(List.of(517, 1000, 0));
        assertThat(sizes).startsWith(1).contains(517, 1000).doesNotContain(0).isSorted();
        assertThat(sizes.get(sizes.size() - 1)).isEqualTo(1000);
        assertThat(sizes.size()).isBetween(40, FunnelPlot.LIMIT_POINTS + 2);
    }

    private static void assertLimits(
            FunnelPlot.Limits limits, double lower998, double lower95, double upper95, double upper998) {
        assertThat(limits.lower998()).isCloseTo(lower998, within(1e-6));
        assertThat(limits.lower95()).isCloseTo(lower95, within(1e-6));
        assertThat(limits.upper95()).isCloseTo(upper95, within(1e-6));
        assertThat(limits.upper998()).isCloseTo(upper998, within(1e-6));
    }
}
