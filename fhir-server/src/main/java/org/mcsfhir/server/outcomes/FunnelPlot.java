package org.mcsfhir.server.outcomes;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Control limits of a funnel plot for a proportion (Spiegelhalter 2005, "Funnel plots for comparing institutional
 * performance", Stat Med 24:1185, appendix A.1.1): exact binomial limits around the national rate, interpolated
 * between the discrete quantiles so the funnel is smooth. Exact rather than the normal approximation because centres
 * here treat a few dozen patients a year at rates of 30–50 %, where the normal limits are too narrow below and can
 * leave [0, 1]. Pure: no FHIR, no Spring.
 */
final class FunnelPlot {

    /** Two-sided 95 % ("2σ") and 99.8 % ("3σ") limits, the usual warning and alarm lines of UK national audits. */
    static final double P_95 = 0.025;

    static final double P_998 = 0.001;

    /** How many limit points to give at most besides the centres' own n (enough to draw a smooth funnel). */
    static final int LIMIT_POINTS = 60;

    /** The limits for a centre of {@code n} patients. */
    record Limits(int n, double lower95, double upper95, double lower998, double upper998) {}

    private FunnelPlot() {}

    static Limits limits(double nationalRate, int n) {
        return new Limits(
                n,
                limit(nationalRate, n, P_95),
                limit(nationalRate, n, 1 - P_95),
                limit(nationalRate, n, P_998),
                limit(nationalRate, n, 1 - P_998));
    }

    /**
     * The p-quantile of Binomial(n, p0) divided by n, interpolated: with r the smallest count whose cumulative
     * probability F(r) reaches p, the limit is (r − α)/n where α = (F(r) − p) / P(X = r).
     */
    static double limit(double p0, int n, double p) {
        if (p0 <= 0 || p0 >= 1) {
            return p0 <= 0 ? 0.0 : 1.0;
        }
        double logOdds = Math.log(p0 / (1 - p0));
        double logPmf = n * Math.log1p(-p0);
        double cumulative = 0.0;
        for (int r = 0; r <= n; r++) {
            if (r > 0) {
                logPmf += Math.log((double) (n - r + 1) / r) + logOdds;
            }
            double pmf = Math.exp(logPmf);
            cumulative += pmf;
            if (cumulative >= p) {
                double alpha = pmf > 0 ? (cumulative - p) / pmf : 0.0;
                return Math.max(0.0, (r - alpha) / n);
            }
        }
        return 1.0; // rounding kept the sum just below p
    }

    /** Which limit a rate lies beyond: {@code 99.8}, {@code 95} or {@code none}. */
    static String outside(double rate, Limits limits) {
        if (rate < limits.lower998() || rate > limits.upper998()) {
            return "99.8";
        }
        return rate < limits.lower95() || rate > limits.upper95() ? "95" : "none";
    }

    /**
     * The n at which to give limits: every n up to the largest centre's when that is at most {@link #LIMIT_POINTS},
     * else that many spread geometrically from 1 (the funnel bends most at small n); always each centre's own n.
     */
    static List<Integer> limitSizes(Collection<Integer> centreSizes) {
        int largest = centreSizes.stream().mapToInt(Integer::intValue).max().orElse(0);
        TreeSet<Integer> sizes = new TreeSet<>();
        if (largest <= LIMIT_POINTS) {
            for (int n = 1; n <= largest; n++) {
                sizes.add(n);
            }
        } else {
            for (int i = 0; i < LIMIT_POINTS; i++) {
                sizes.add((int) Math.round(Math.exp(Math.log(largest) * i / (LIMIT_POINTS - 1))));
            }
        }
        centreSizes.stream().filter(n -> n > 0).forEach(sizes::add);
        return List.copyOf(sizes);
    }
}
