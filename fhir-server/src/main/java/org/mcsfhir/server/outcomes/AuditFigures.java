package org.mcsfhir.server.outcomes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every figure of the audit as a function from a set of insertions (the whole cohort or one stratum) to a
 * {@link Cell}: the audit Measures of the guide ({@code profiles/src/main/fhir/Measure-mcs-audit-*.json}) and their
 * groups, in code. Group and population codes are those of {@code mcs-audit-cs}.
 */
final class AuditFigures {

    /** Survival follow-up points: group code → day. */
    static final Map<String, Integer> SURVIVAL_POINTS = orderedDays("survival-30d", 30, "survival-180d", 180,
            "survival-1y", 365);
    static final List<String> QOL_POINTS = List.of("discharge", "30d", "180d", "1y");
    static final List<String> QOL_MEASURES = List.of("eq5d-index", "eq-vas");
    static final int SHORT_TERM_DAYS = 30;

    static final List<String> COMPLETENESS_ITEMS = List.of("consent", "access-site", "device", "aetiology",
            "scai-stage", "pregnancy-status", "support-outcome", "vital-status-30d", "vital-status-180d",
            "vital-status-1y", "quality-of-life");

    /**
     * One figure for one set of insertions.
     *
     * @param populations population code → count, in report order ({@code initial-population}, {@code denominator}, …)
     * @param score the measure score, NaN when it cannot be computed (e.g. an empty denominator)
     * @param low lower bound of the range extension (CI or IQR), NaN when absent
     * @param high upper bound, NaN when absent
     * @param denominator the count the small-cell flag looks at
     */
    record Cell(Map<String, Integer> populations, double score, double low, double high, int denominator) {}

    /** A group of a Measure: its code and how to compute it. */
    record Group(String code, Function<List<AuditCase>, Cell> figure) {}

    /** An audit Measure: id (also the canonical's tail), whether a score is a proportion, range extension URL. */
    record AuditMeasure(String id, String scoreUnit, String rangeExtension, String improvementNotation,
            List<Group> groups) {}

    static final List<AuditMeasure> MEASURES = List.of(
            new AuditMeasure("mcs-audit-insertions", null, null, null,
                    List.of(new Group("insertions", AuditFigures::insertions))),
            new AuditMeasure("mcs-audit-survival", "1", OutcomeCodes.CONFIDENCE_INTERVAL_EXTENSION, "increase",
                    survivalGroups()),
            new AuditMeasure("mcs-audit-complications", "1", null, "decrease", complicationGroups()),
            new AuditMeasure("mcs-audit-support-outcome", "1", null, null, supportOutcomeGroups()),
            new AuditMeasure("mcs-audit-quality-of-life", "{score}", OutcomeCodes.INTERQUARTILE_RANGE_EXTENSION,
                    "increase", qualityOfLifeGroups()),
            new AuditMeasure("mcs-audit-completeness", "1", null, "increase", completenessGroups()));

    private AuditFigures() {}

    private static Cell insertions(List<AuditCase> cases) {
        return new Cell(Map.of("initial-population", cases.size()), Double.NaN, Double.NaN, Double.NaN, cases.size());
    }

    private static List<Group> survivalGroups() {
        List<Group> groups = new ArrayList<>();
        SURVIVAL_POINTS.forEach((code, day) -> groups.add(new Group(code, cases -> survival(cases, day))));
        return groups;
    }

    /** Kaplan–Meier at {@code day}; censored subjects split into not yet due (by the reference date) and lost. */
    static Cell survival(List<AuditCase> cases, int day) {
        List<KaplanMeier.Observation> observations = cases.stream().map(AuditCase::survival).toList();
        KaplanMeier.Estimate e = KaplanMeier.at(observations, day);
        int notYetDue = 0;
        int lost = 0;
        for (AuditCase c : cases) {
            KaplanMeier.Observation o = c.survival();
            if (!o.event() && o.time() < day) {
                if (c.dueDays() < day) {
                    notYetDue++;
                } else {
                    lost++;
                }
            }
        }
        Map<String, Integer> populations = new LinkedHashMap<>();
        populations.put("initial-population", cases.size());
        populations.put("number-at-risk", e.atRisk());
        populations.put("deaths", e.events());
        populations.put("censored-not-yet-due", notYetDue);
        populations.put("censored-lost-to-follow-up", lost);
        return new Cell(populations, e.survival(), e.lower(), e.upper(), cases.size());
    }

    private static List<Group> complicationGroups() {
        List<Group> groups = new ArrayList<>();
        for (String type : OutcomeCodes.COMPLICATION_TYPES.values()) {
            groups.add(new Group("complication-" + type + "-short-term",
                    cases -> proportion(cases, c -> hasComplication(c, type, null, true))));
            groups.add(new Group("complication-" + type + "-long-term",
                    cases -> proportion(cases, c -> hasComplication(c, type, null, false))));
        }
        for (String barc : OutcomeCodes.BARC_TYPES) {
            groups.add(new Group("bleeding-barc-" + barc + "-short-term",
                    cases -> proportion(cases, c -> hasComplication(c, "bleeding", barc, true))));
            groups.add(new Group("bleeding-barc-" + barc + "-long-term",
                    cases -> proportion(cases, c -> hasComplication(c, "bleeding", barc, false))));
        }
        return groups;
    }

    static boolean hasComplication(AuditCase c, String type, String barc, boolean shortTerm) {
        return c.complications().stream().anyMatch(x -> x.type().equals(type)
                && (barc == null || barc.equals(x.barc()))
                && (x.onsetDay() <= SHORT_TERM_DAYS) == shortTerm);
    }

    private static List<Group> supportOutcomeGroups() {
        List<Group> groups = new ArrayList<>();
        for (String reason : OutcomeCodes.SUPPORT_END_REASONS) {
            groups.add(new Group("support-end-" + reason, cases -> proportion(cases, c -> reason.equals(c.supportEnd()))));
        }
        groups.add(new Group("support-end-not-recorded", cases -> proportion(cases, c -> c.supportEnd() == null)));
        return groups;
    }

    private static List<Group> qualityOfLifeGroups() {
        List<Group> groups = new ArrayList<>();
        for (String measure : QOL_MEASURES) {
            for (String point : QOL_POINTS) {
                groups.add(new Group(measure + "-" + point, cases -> quartiles(cases, measure + "|" + point)));
            }
        }
        return groups;
    }

    /** Median and interquartile range (linear interpolation between order statistics, "type 7"). */
    static Cell quartiles(List<AuditCase> cases, String key) {
        double[] values = cases.stream().map(c -> c.qualityOfLife().get(key)).filter(v -> v != null)
                .mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Integer> populations = new LinkedHashMap<>();
        populations.put("initial-population", cases.size());
        populations.put("measure-population", values.length);
        return new Cell(populations, quantile(values, 0.5), quantile(values, 0.25), quantile(values, 0.75),
                values.length);
    }

    static double quantile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double h = (sorted.length - 1) * p;
        int lower = (int) Math.floor(h);
        int upper = Math.min(lower + 1, sorted.length - 1);
        return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
    }

    private static List<Group> completenessGroups() {
        List<Group> groups = new ArrayList<>();
        for (String item : COMPLETENESS_ITEMS) {
            Integer due = item.startsWith("vital-status-")
                    ? OutcomeCodes.FOLLOW_UP_DAYS.get(item.substring("vital-status-".length())) : null;
            // a follow-up item is expected only of insertions that have reached the follow-up point
            groups.add(new Group("completeness-" + item, cases -> proportion(
                    due == null ? cases : cases.stream().filter(c -> c.dueDays() >= due).toList(),
                    c -> c.evidence().contains(item), cases.size())));
        }
        return groups;
    }

    private static Cell proportion(List<AuditCase> cases, Predicate<AuditCase> numerator) {
        return proportion(cases, numerator, cases.size());
    }

    private static Cell proportion(List<AuditCase> denominatorCases, Predicate<AuditCase> numerator, int initial) {
        int n = (int) denominatorCases.stream().filter(numerator).count();
        int d = denominatorCases.size();
        Map<String, Integer> populations = new LinkedHashMap<>();
        populations.put("initial-population", initial);
        populations.put("denominator", d);
        populations.put("numerator", n);
        return new Cell(populations, d == 0 ? Double.NaN : (double) n / d, Double.NaN, Double.NaN, d);
    }

    private static Map<String, Integer> orderedDays(Object... keysAndValues) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (Integer) keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
