package org.mcsfhir.server.outcomes;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Safety over time for one centre, case by case: the VLAD (variable life-adjusted display: cumulative expected minus
 * observed deaths, Lovegrove et al. 1997) and the risk-adjusted Bernoulli CUSUM of Steiner, Cook, Farewell and Treasure
 * (Biostatistics 2000;1:441) testing for the odds of death rising by {@link #ODDS_RATIO}. Pure: no FHIR, no Spring.
 *
 * <p>The CUSUM adds per case the log-likelihood ratio W = y·log(R) − log(1 − p + R·p) (p the case's expected risk,
 * y = 1 for a death) and never falls below 0; it signals on reaching the threshold h and restarts from 0.
 */
final class SafetyCharts {

    /** The alternative: odds of death doubled (Steiner et al. 2000). */
    static final double ODDS_RATIO = 2.0;

    /** The signal threshold h, as in Steiner et al.'s cardiac surgery example for a doubling of the odds. */
    static final double THRESHOLD = 4.5;

    /** One case in time order: its expected risk of death and whether it died. */
    record Outcome(LocalDate date, double expected, boolean died) {}

    /** One point of both charts; {@code order} counts from 1. */
    record Point(int order, LocalDate date, double expected, int observed, double vlad, double cusum, boolean signal) {}

    private SafetyCharts() {}

    static List<Point> chart(List<Outcome> outcomes, double oddsRatio, double threshold) {
        List<Point> points = new ArrayList<>(outcomes.size());
        double vlad = 0.0;
        double cusum = 0.0;
        int order = 0;
        for (Outcome o : outcomes) {
            int observed = o.died() ? 1 : 0;
            vlad += o.expected() - observed;
            cusum = Math.max(0.0, cusum + weight(o.expected(), o.died(), oddsRatio));
            boolean signal = cusum >= threshold;
            points.add(new Point(++order, o.date(), o.expected(), observed, vlad, cusum, signal));
            if (signal) {
                cusum = 0.0;
            }
        }
        return points;
    }

    static double weight(double expected, boolean died, double oddsRatio) {
        double denominator = Math.log(1 - expected + oddsRatio * expected);
        return died ? Math.log(oddsRatio) - denominator : -denominator;
    }
}
