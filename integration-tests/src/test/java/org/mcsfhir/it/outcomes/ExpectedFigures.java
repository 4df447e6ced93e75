package org.mcsfhir.it.outcomes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The audit's figures recomputed in the test from the generator's {@link SyntheticCohort.Expected} records, written
 * independently of the server's code: Kaplan–Meier straight from its definition (at each death time, n = subjects with
 * time ≥ t, d = deaths at t), Greenwood variance and the log-log interval; type 7 quantiles; plain proportions.
 */
final class ExpectedFigures {

    static final double Z = 1.959964;

    record Cell(Map<String, Integer> populations, Double score, Double low, Double high, int denominator) {}

    private ExpectedFigures() {}

    static Cell of(String group, List<SyntheticCohort.Expected> cases) {
        if (group.equals("insertions")) {
            return new Cell(Map.of("initial-population", cases.size()), null, null, null, cases.size());
        }
        if (group.startsWith("survival-")) {
            return survival(cases, SyntheticCohort.POINT_DAYS.get(group.substring("survival-".length())));
        }
        if (group.startsWith("bleeding-barc-")) {
            String rest = group.substring("bleeding-barc-".length());
            String barc = rest.substring(0, rest.indexOf('-'));
            boolean shortTerm = rest.endsWith("-short-term");
            return proportion(
                    cases,
                    cases,
                    c -> c.complications().stream()
                            .anyMatch(x -> x.type().equals("bleeding")
                                    && barc.equals(x.barc())
                                    && (x.onsetDay() <= 30) == shortTerm));
        }
        if (group.startsWith("complication-")) {
            boolean shortTerm = group.endsWith("-short-term");
            String type = group.substring(
                    "complication-".length(), group.length() - (shortTerm ? "-short-term" : "-long-term").length());
            return proportion(
                    cases,
                    cases,
                    c -> c.complications().stream()
                            .anyMatch(x -> x.type().equals(type) && (x.onsetDay() <= 30) == shortTerm));
        }
        if (group.equals("support-end-not-recorded")) {
            return proportion(cases, cases, c -> c.supportEnd() == null);
        }
        if (group.startsWith("support-end-")) {
            String reason = group.substring("support-end-".length());
            return proportion(cases, cases, c -> reason.equals(c.supportEnd()));
        }
        if (group.startsWith("completeness-")) {
            String item = group.substring("completeness-".length());
            List<SyntheticCohort.Expected> denominator = item.startsWith("vital-status-")
                    ? cases.stream()
                            .filter(c -> c.dueDays()
                                    >= SyntheticCohort.POINT_DAYS.get(item.substring("vital-status-".length())))
                            .toList()
                    : cases;
            return proportion(cases, denominator, c -> c.evidence().contains(item));
        }
        for (String measure : List.of("eq5d-index", "eq-vas")) {
            if (group.startsWith(measure + "-")) {
                return quartiles(cases, measure + "|" + group.substring(measure.length() + 1));
            }
        }
        throw new IllegalArgumentException("unknown group " + group);
    }

    static Cell survival(List<SyntheticCohort.Expected> cases, int t) {
        TreeSet<Integer> deathTimes = new TreeSet<>();
        cases.stream().filter(c -> c.event() && c.time() <= t).forEach(c -> deathTimes.add(c.time()));
        double s = 1;
        double greenwood = 0;
        for (int ti : deathTimes) {
            long n = cases.stream().filter(c -> c.time() >= ti).count();
            long d = cases.stream().filter(c -> c.event() && c.time() == ti).count();
            s *= 1 - (double) d / n;
            greenwood += n > d ? (double) d / (n * (n - d)) : Double.POSITIVE_INFINITY;
        }
        Map<String, Integer> populations = new LinkedHashMap<>();
        populations.put("initial-population", cases.size());
        populations.put("number-at-risk", (int)
                cases.stream().filter(c -> c.time() >= t).count());
        populations.put("deaths", (int)
                cases.stream().filter(c -> c.event() && c.time() <= t).count());
        populations.put("censored-not-yet-due", (int) cases.stream()
                .filter(c -> !c.event() && c.time() < t && c.dueDays() < t)
                .count());
        populations.put("censored-lost-to-follow-up", (int) cases.stream()
                .filter(c -> !c.event() && c.time() < t && c.dueDays() >= t)
                .count());
        Double low = null;
        Double high = null;
        if (s > 0 && s < 1) {
            double se = Math.sqrt(greenwood) / Math.abs(Math.log(s));
            low = Math.pow(s, Math.exp(Z * se));
            high = Math.pow(s, Math.exp(-Z * se));
        }
        return new Cell(populations, cases.isEmpty() ? null : s, low, high, cases.size());
    }

    static Cell quartiles(List<SyntheticCohort.Expected> cases, String key) {
        double[] v = cases.stream()
                .filter(c -> c.qol().containsKey(key))
                .mapToDouble(c -> c.qol().get(key))
                .sorted()
                .toArray();
        Map<String, Integer> populations = new LinkedHashMap<>();
        populations.put("initial-population", cases.size());
        populations.put("measure-population", v.length);
        if (v.length == 0) {
            return new Cell(populations, null, null, null, 0);
        }
        return new Cell(populations, type7(v, 0.5), type7(v, 0.25), type7(v, 0.75), v.length);
    }

    /** Hyndman–Fan type 7: x[j] + g (x[j+1] − x[j]) with (n − 1) p = j + g (0-based j). */
    static double type7(double[] v, double p) {
        double position = (v.length - 1) * p;
        int j = (int) position;
        double g = position - j;
        return j + 1 < v.length ? v[j] + g * (v[j + 1] - v[j]) : v[j];
    }

    private static Cell proportion(
            List<SyntheticCohort.Expected> all,
            List<SyntheticCohort.Expected> denominator,
            Predicate<SyntheticCohort.Expected> numerator) {
        int n = (int) denominator.stream().filter(numerator).count();
        Map<String, Integer> populations = new LinkedHashMap<>();
        populations.put("initial-population", all.size());
        populations.put("denominator", denominator.size());
        populations.put("numerator", n);
        return new Cell(
                populations,
                denominator.isEmpty() ? null : (double) n / denominator.size(),
                null,
                null,
                denominator.size());
    }
}
