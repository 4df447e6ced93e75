package org.mcsfhir.server.outcomes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Kaplan–Meier product-limit estimate of survival with Greenwood's variance and a log-log ("complementary log-log")
 * 95 % confidence interval. Pure: no FHIR, no Spring.
 *
 * <p>At a time where deaths and censorings tie, the deaths are counted first (the censored are still at risk), the
 * usual convention. The log-log interval is used because it stays inside [0, 1] and behaves better than the plain
 * (linear) Greenwood interval in small samples and near 0 or 1: with θ = log(−log S),
 * se(θ) = sqrt(Σ d/(n(n−d))) / |log S|, the interval is [S^exp(z·se), S^exp(−z·se)].
 */
final class KaplanMeier {

    /** The 0.975 quantile of the standard normal distribution (two-sided 95 %). */
    static final double Z_975 = 1.959964;

    /** One subject: follow-up time in days from time zero, and whether it ended by the event (else censored). */
    record Observation(int time, boolean event) {}

    /**
     * The estimate at one time point.
     *
     * @param survival S(t), or NaN when nobody was followed
     * @param standardError Greenwood standard error of S(t)
     * @param lower lower 95 % bound (log-log), NaN where undefined (S = 0 or 1, or nobody followed)
     * @param upper upper 95 % bound (log-log), NaN where undefined
     * @param atRisk subjects still followed at t (time ≥ t)
     * @param events events at or before t
     * @param censoredBefore subjects censored before t
     */
    record Estimate(
            double survival,
            double standardError,
            double lower,
            double upper,
            int atRisk,
            int events,
            int censoredBefore) {

        boolean hasInterval() {
            return !Double.isNaN(lower) && !Double.isNaN(upper);
        }
    }

    private KaplanMeier() {}

    static Estimate at(List<Observation> observations, int t) {
        return at(observations, new int[] {t})[0];
    }

    /**
     * The estimates at several time points (ascending) from one sort of the observations: the audit asks for 30 days,
     * 180 days and a year of every stratum. Each is exactly what a separate {@link #at(List, int)} would give: the
     * same products and sums in the same order.
     */
    static Estimate[] at(List<Observation> observations, int... times) {
        Estimate[] estimates = new Estimate[times.length];
        if (observations.isEmpty()) {
            Arrays.fill(estimates, new Estimate(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0));
            return estimates;
        }
        // time and kind in one sortable number: at one time the deaths (0) come before the censorings (1)
        long[] sorted = new long[observations.size()];
        for (int i = 0; i < sorted.length; i++) {
            Observation o = observations.get(i);
            sorted[i] = ((long) o.time() << 1) | (o.event() ? 0 : 1);
        }
        Arrays.sort(sorted);
        int n = sorted.length;
        double s = 1.0;
        double greenwoodSum = 0.0;
        int events = 0;
        int censored = 0;
        int next = 0; // the first observation not yet taken into the product
        for (int k = 0; k < times.length; k++) {
            int t = times[k];
            while (next < sorted.length && time(sorted[next]) <= t) {
                int time = time(sorted[next]);
                int d = 0;
                int c = 0;
                for (; next < sorted.length && time(sorted[next]) == time; next++) {
                    if ((sorted[next] & 1) == 0) {
                        d++;
                    } else {
                        c++;
                    }
                }
                if (d > 0) {
                    s *= 1.0 - (double) d / n;
                    greenwoodSum += n > d ? (double) d / ((double) n * (n - d)) : Double.POSITIVE_INFINITY;
                    events += d;
                }
                n -= d + c;
                censored += c;
            }
            // those taken in at exactly t are still at risk at t, and not censored before it
            int atT = 0;
            int censoredAtT = 0;
            for (int i = next - 1; i >= 0 && time(sorted[i]) == t; i--) {
                atT++;
                censoredAtT += (int) (sorted[i] & 1);
            }
            estimates[k] = estimate(s, greenwoodSum, sorted.length - next + atT, events, censored - censoredAtT);
        }
        return estimates;
    }

    private static int time(long sortable) {
        return (int) (sortable >> 1);
    }

    private static Estimate estimate(double s, double greenwoodSum, int atRisk, int events, int censoredBefore) {
        double se = s > 0 ? s * Math.sqrt(greenwoodSum) : 0.0;
        double lower = Double.NaN;
        double upper = Double.NaN;
        if (s > 0 && s < 1 && Double.isFinite(greenwoodSum)) {
            double seLogLog = Math.sqrt(greenwoodSum) / Math.abs(Math.log(s));
            lower = Math.pow(s, Math.exp(Z_975 * seLogLog));
            upper = Math.pow(s, Math.exp(-Z_975 * seLogLog));
        }
        return new Estimate(s, se, lower, upper, atRisk, events, censoredBefore);
    }

    /**
     * One step of the curve: the estimate just after {@code day}, with that day's counts.
     *
     * @param day days from time zero
     * @param survival S(day), deaths of that day included
     * @param lower lower 95 % bound (log-log); equal to {@code survival} where Greenwood's variance is 0 (S = 1 or 0)
     * @param upper upper 95 % bound, likewise
     * @param atRisk subjects still followed just before the day (time ≥ day)
     * @param events deaths on that day
     * @param censored subjects censored on that day
     */
    record Step(int day, double survival, double lower, double upper, int atRisk, int events, int censored) {}

    /**
     * The curve as steps: day 0, then every day up to {@code lastDay} with a death or a censoring, in order. Each
     * step's figures are those {@link #at} gives for that day, so the curve agrees with the audit's point estimates;
     * empty when nobody was followed.
     */
    static List<Step> steps(List<Observation> observations, int lastDay) {
        List<Step> steps = new ArrayList<>();
        if (observations.isEmpty()) {
            return steps;
        }
        TreeMap<Integer, int[]> byTime = new TreeMap<>();
        byTime.put(0, new int[2]);
        for (Observation o : observations) {
            byTime.computeIfAbsent(o.time(), k -> new int[2])[o.event() ? 0 : 1]++;
        }
        int n = observations.size();
        double s = 1.0;
        double greenwoodSum = 0.0;
        for (var entry : byTime.headMap(lastDay, true).entrySet()) {
            int d = entry.getValue()[0];
            int c = entry.getValue()[1];
            if (d > 0) {
                s *= 1.0 - (double) d / n;
                greenwoodSum += n > d ? (double) d / ((double) n * (n - d)) : Double.POSITIVE_INFINITY;
            }
            double lower = s;
            double upper = s;
            if (s > 0 && s < 1 && Double.isFinite(greenwoodSum)) {
                double seLogLog = Math.sqrt(greenwoodSum) / Math.abs(Math.log(s));
                lower = Math.pow(s, Math.exp(Z_975 * seLogLog));
                upper = Math.pow(s, Math.exp(-Z_975 * seLogLog));
            }
            steps.add(new Step(entry.getKey(), s, lower, upper, n, d, c));
            n -= d + c;
        }
        return steps;
    }

    /** Convenience for tests and callers with parallel arrays. */
    static List<Observation> of(int[] times, boolean[] events) {
        List<Observation> list = new ArrayList<>(times.length);
        for (int i = 0; i < times.length; i++) {
            list.add(new Observation(times[i], events[i]));
        }
        return list;
    }
}
