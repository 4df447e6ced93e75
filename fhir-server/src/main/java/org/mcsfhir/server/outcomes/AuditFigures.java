package org.mcsfhir.server.outcomes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mcsfhir.server.guide.GuideCodes;

/**
 * The audit Measures of the guide ({@code profiles/src/main/fhir/Measure-mcs-audit-*.json}) and their groups, in
 * code, and what each group counts. Group and population codes are those of {@code mcs-audit-cs}. The figures of a
 * set of insertions (the whole cohort or one stratum) are computed by {@link FigureTally}, every group in one pass.
 */
final class AuditFigures {

    /** Survival follow-up points: group code → day. */
    static final Map<String, Integer> SURVIVAL_POINTS =
            orderedDays("survival-30d", 30, "survival-180d", 180, "survival-1y", 365);

    static final List<String> QOL_POINTS = List.of("discharge", "30d", "180d", "1y");
    static final List<String> QOL_MEASURES = List.of("eq5d-index", "eq-vas");
    static final int SHORT_TERM_DAYS = 30;

    static final List<String> COMPLETENESS_ITEMS = List.of(
            "consent",
            "access-site",
            "device",
            "aetiology",
            "scai-stage",
            "pregnancy-status",
            "support-outcome",
            "vital-status-30d",
            "vital-status-180d",
            "vital-status-1y",
            "quality-of-life");

    /**
     * The complication types ({@code mcs-audit-cs}), in group order: each has a short-term and a long-term group. What
     * each counts is the guide's ConceptMap {@code mcs-complication-to-audit} ({@link StratumMaps}); the order is the
     * Measure's.
     */
    static final List<String> COMPLICATION_TYPES = List.of(
            "complication-pain",
            "complication-bleeding",
            "complication-haemolysis",
            "complication-stroke",
            "complication-pump-failure",
            "complication-device-malfunction",
            "complication-limb-ischaemia",
            "complication-acute-kidney-injury",
            "complication-sepsis",
            "complication-cardiac-perforation",
            "complication-vascular-access-complication",
            "complication-aortic-valve-injury",
            "complication-thrombosis");

    /**
     * The BARC types of bleeding ({@code mcs-barc-bleeding-cs}), in group order. Here rather than read from the guide's
     * CodeSystem because the order is the Measure's and {@link FigureTally} indexes cells by it; the codes are checked
     * against the CodeSystem by {@code GuideVocabularyTest}.
     */
    static final List<String> BARC_TYPES = List.of("1", "2", "3a", "3b", "3c", "4", "5a", "5b");

    /**
     * The ways support ends ({@code mcs-support-end-cs}), in group order; for the same reason as {@link #BARC_TYPES}
     * here and checked against the CodeSystem.
     */
    static final List<String> SUPPORT_END_REASONS = List.of(
            "myocardial-recovery",
            "bridge-to-transplant",
            "bridge-to-durable-lvad",
            "escalation-va-ecmo",
            "escalation-other-mcs",
            "device-complication",
            GuideCodes.DEATH_ON_SUPPORT,
            "palliation");

    /**
     * Follow-up point code ({@code mcs-follow-up-point-cs}) → its day: a vital status or QoL at that point is taken to
     * be on that day at least. The guide's CodeSystem gives the days only in its definitions' text.
     */
    static final Map<String, Integer> FOLLOW_UP_DAYS = Map.of("30d", 30, "180d", 180, "1y", 365);

    /** The type whose complications are also counted by BARC type. */
    static final String BLEEDING = "complication-bleeding";

    /** The QoL groups' keys in {@link AuditCase#qualityOfLife()} ({@code measure|point}), in group order. */
    static final List<String> QOL_KEYS = qualityOfLifeKeys();

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

    /** A group of a Measure, by its code. */
    record Group(String code) {}

    /** An audit Measure: id (also the canonical's tail), whether a score is a proportion, range extension URL. */
    record AuditMeasure(
            String id, String scoreUnit, String rangeExtension, String improvementNotation, List<Group> groups) {}

    // the order of the groups here is the order FigureTally gives their cells in
    static final List<AuditMeasure> MEASURES = List.of(
            new AuditMeasure("mcs-audit-insertions", null, null, null, groups(List.of("insertions"))),
            new AuditMeasure(
                    "mcs-audit-survival",
                    "1",
                    GuideCodes.CONFIDENCE_INTERVAL_EXTENSION,
                    "increase",
                    groups(List.copyOf(SURVIVAL_POINTS.keySet()))),
            new AuditMeasure("mcs-audit-complications", "1", null, "decrease", groups(complicationCodes())),
            new AuditMeasure("mcs-audit-support-outcome", "1", null, null, groups(supportOutcomeCodes())),
            new AuditMeasure(
                    "mcs-audit-quality-of-life",
                    "{score}",
                    GuideCodes.INTERQUARTILE_RANGE_EXTENSION,
                    "increase",
                    groups(QOL_KEYS.stream().map(key -> key.replace('|', '-')).toList())),
            new AuditMeasure(
                    "mcs-audit-completeness",
                    "1",
                    null,
                    "increase",
                    groups(COMPLETENESS_ITEMS.stream()
                            .map(item -> "completeness-" + item)
                            .toList())));

    private AuditFigures() {}

    /**
     * Complication groups: per type its short-term (onset by day {@value #SHORT_TERM_DAYS}) and long-term group, then
     * per BARC type of bleeding the same two.
     */
    private static List<String> complicationCodes() {
        List<String> codes = new ArrayList<>();
        for (String type : COMPLICATION_TYPES) {
            codes.add(type + "-short-term");
            codes.add(type + "-long-term");
        }
        for (String barc : BARC_TYPES) {
            codes.add("bleeding-barc-" + barc + "-short-term");
            codes.add("bleeding-barc-" + barc + "-long-term");
        }
        return codes;
    }

    /** One group per way support ended, then the insertions where it is not recorded. */
    private static List<String> supportOutcomeCodes() {
        List<String> codes = new ArrayList<>();
        SUPPORT_END_REASONS.forEach(reason -> codes.add("support-end-" + reason));
        codes.add("support-end-not-recorded");
        return codes;
    }

    private static List<String> qualityOfLifeKeys() {
        List<String> keys = new ArrayList<>();
        for (String measure : QOL_MEASURES) {
            for (String point : QOL_POINTS) {
                keys.add(measure + "|" + point);
            }
        }
        return List.copyOf(keys);
    }

    /** Median and quartiles (linear interpolation between order statistics, "type 7"); NaN when empty. */
    static double quantile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double h = (sorted.length - 1) * p;
        int lower = (int) Math.floor(h);
        int upper = Math.min(lower + 1, sorted.length - 1);
        return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
    }

    private static List<Group> groups(List<String> codes) {
        return codes.stream().map(Group::new).toList();
    }

    private static Map<String, Integer> orderedDays(Object... keysAndValues) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (Integer) keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
