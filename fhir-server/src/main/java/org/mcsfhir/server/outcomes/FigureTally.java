package org.mcsfhir.server.outcomes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mcsfhir.server.outcomes.AuditFigures.Cell;

/**
 * Computes every group of every audit Measure ({@link AuditFigures#MEASURES}) for a set of insertions in one pass.
 * Each insertion is first reduced to its {@link Contribution} (which groups it counts in, as bits and indexes),
 * once; the whole cohort and each of its ~40 strata are then sums of contributions, and Kaplan–Meier is estimated
 * once per set for its three follow-up points. A set of 10,000 insertions thus costs one loop, not ~75.
 */
final class FigureTally {

    private static final int[] SURVIVAL_DAYS = AuditFigures.SURVIVAL_POINTS.values().stream()
            .mapToInt(Integer::intValue)
            .toArray();
    private static final int COMPLICATION_GROUPS =
            2 * (AuditFigures.COMPLICATION_TYPES.size() + AuditFigures.BARC_TYPES.size());

    static {
        // each complication group is one bit of Contribution.complications, a long
        if (COMPLICATION_GROUPS > Long.SIZE) {
            throw new IllegalStateException(COMPLICATION_GROUPS + " complication groups do not fit in a long");
        }
    }

    /** The support-outcome group of an insertion whose support end is not recorded: the last one. */
    private static final int SUPPORT_NOT_RECORDED = AuditFigures.SUPPORT_END_REASONS.size();
    /** A completeness item expected of every insertion, not only of those that reached a follow-up point. */
    private static final int ALWAYS_DUE = Integer.MIN_VALUE;
    /** Per completeness item, the follow-up day from which it is expected. */
    private static final int[] COMPLETENESS_DUE = AuditFigures.COMPLETENESS_ITEMS.stream()
            .mapToInt(item -> item.startsWith("vital-status-")
                    ? AuditFigures.FOLLOW_UP_DAYS.get(item.substring("vital-status-".length()))
                    : ALWAYS_DUE)
            .toArray();

    /**
     * One insertion's part in every group.
     *
     * @param survival its Kaplan–Meier observation
     * @param dueDays days from its start to the reference date
     * @param complications bit per complication group it counts in (group order)
     * @param supportEnd its support-outcome group's index
     * @param evidence bit per completeness item present
     * @param qualityOfLife per QoL group its score, null when absent
     */
    record Contribution(
            KaplanMeier.Observation survival,
            int dueDays,
            long complications,
            int supportEnd,
            int evidence,
            Double[] qualityOfLife) {}

    private FigureTally() {}

    static Contribution contribution(AuditCase c) {
        long complications = 0;
        for (AuditCase.Complication x : c.complications()) {
            int shortOrLong = x.onsetDay() <= AuditFigures.SHORT_TERM_DAYS ? 0 : 1;
            int type = AuditFigures.COMPLICATION_TYPES.indexOf(x.type());
            if (type >= 0) {
                complications |= 1L << (2 * type + shortOrLong);
            }
            int barc = AuditFigures.BLEEDING.equals(x.type()) && x.barc() != null
                    ? AuditFigures.BARC_TYPES.indexOf(x.barc())
                    : -1;
            if (barc >= 0) {
                complications |= 1L << (2 * (AuditFigures.COMPLICATION_TYPES.size() + barc) + shortOrLong);
            }
        }
        int supportEnd = c.supportEnd() == null
                ? SUPPORT_NOT_RECORDED
                : AuditFigures.SUPPORT_END_REASONS.indexOf(c.supportEnd());
        int evidence = 0;
        for (int i = 0; i < AuditFigures.COMPLETENESS_ITEMS.size(); i++) {
            if (c.evidence().contains(AuditFigures.COMPLETENESS_ITEMS.get(i))) {
                evidence |= 1 << i;
            }
        }
        Double[] qualityOfLife = new Double[AuditFigures.QOL_KEYS.size()];
        for (int i = 0; i < qualityOfLife.length; i++) {
            qualityOfLife[i] = c.qualityOfLife().get(AuditFigures.QOL_KEYS.get(i));
        }
        return new Contribution(c.survival(), c.dueDays(), complications, supportEnd, evidence, qualityOfLife);
    }

    /** The cells of a set of insertions: per Measure of {@link AuditFigures#MEASURES}, per group, in their order. */
    static List<List<Cell>> figures(List<Contribution> members) {
        int n = members.size();
        int[] notYetDue = new int[SURVIVAL_DAYS.length];
        int[] lost = new int[SURVIVAL_DAYS.length];
        int[] complicated = new int[COMPLICATION_GROUPS];
        int[] supportEnds = new int[SUPPORT_NOT_RECORDED + 1];
        int[] itemDue = new int[COMPLETENESS_DUE.length];
        int[] itemPresent = new int[COMPLETENESS_DUE.length];
        int qolGroups = AuditFigures.QOL_KEYS.size();
        double[][] scores = new double[qolGroups][16];
        int[] scored = new int[qolGroups];
        List<KaplanMeier.Observation> observations = new ArrayList<>(n);
        for (Contribution m : members) {
            KaplanMeier.Observation o = m.survival();
            observations.add(o);
            for (int k = 0; k < SURVIVAL_DAYS.length; k++) {
                // censored before the point: not yet due by the reference date, or lost to follow-up
                if (!o.event() && o.time() < SURVIVAL_DAYS[k]) {
                    if (m.dueDays() < SURVIVAL_DAYS[k]) {
                        notYetDue[k]++;
                    } else {
                        lost[k]++;
                    }
                }
            }
            for (long bits = m.complications(); bits != 0; bits &= bits - 1) {
                complicated[Long.numberOfTrailingZeros(bits)]++;
            }
            if (m.supportEnd() >= 0) {
                supportEnds[m.supportEnd()]++;
            }
            for (int i = 0; i < COMPLETENESS_DUE.length; i++) {
                // a follow-up item is expected only of insertions that have reached the follow-up point
                if (COMPLETENESS_DUE[i] == ALWAYS_DUE || m.dueDays() >= COMPLETENESS_DUE[i]) {
                    itemDue[i]++;
                    if ((m.evidence() & (1 << i)) != 0) {
                        itemPresent[i]++;
                    }
                }
            }
            for (int i = 0; i < qolGroups; i++) {
                Double score = m.qualityOfLife()[i];
                if (score != null) {
                    if (scored[i] == scores[i].length) {
                        scores[i] = Arrays.copyOf(scores[i], 2 * scored[i]);
                    }
                    scores[i][scored[i]++] = score;
                }
            }
        }
        List<Cell> survival = new ArrayList<>();
        KaplanMeier.Estimate[] estimates = KaplanMeier.at(observations, SURVIVAL_DAYS);
        for (int k = 0; k < SURVIVAL_DAYS.length; k++) {
            survival.add(survival(n, estimates[k], notYetDue[k], lost[k]));
        }
        List<Cell> complications = new ArrayList<>();
        for (int count : complicated) {
            complications.add(proportion(n, n, count));
        }
        List<Cell> support = new ArrayList<>();
        for (int count : supportEnds) {
            support.add(proportion(n, n, count));
        }
        List<Cell> qualityOfLife = new ArrayList<>();
        for (int i = 0; i < qolGroups; i++) {
            qualityOfLife.add(quartiles(n, Arrays.copyOf(scores[i], scored[i])));
        }
        List<Cell> completeness = new ArrayList<>();
        for (int i = 0; i < COMPLETENESS_DUE.length; i++) {
            completeness.add(proportion(n, itemDue[i], itemPresent[i]));
        }
        Cell insertions = new Cell(Map.of("initial-population", n), Double.NaN, Double.NaN, Double.NaN, n);
        return List.of(List.of(insertions), survival, complications, support, qualityOfLife, completeness);
    }

    /** Kaplan–Meier at a point; censored subjects split into not yet due (by the reference date) and lost. */
    private static Cell survival(int n, KaplanMeier.Estimate e, int notYetDue, int lost) {
        Map<String, Integer> populations = new LinkedHashMap<>();
        populations.put("initial-population", n);
        populations.put("number-at-risk", e.atRisk());
        populations.put("deaths", e.events());
        populations.put("censored-not-yet-due", notYetDue);
        populations.put("censored-lost-to-follow-up", lost);
        return new Cell(populations, e.survival(), e.lower(), e.upper(), n);
    }

    /** Median and interquartile range of the scores present. */
    private static Cell quartiles(int n, double[] values) {
        Arrays.sort(values);
        Map<String, Integer> populations = new LinkedHashMap<>();
        populations.put("initial-population", n);
        populations.put("measure-population", values.length);
        return new Cell(
                populations,
                AuditFigures.quantile(values, 0.5),
                AuditFigures.quantile(values, 0.25),
                AuditFigures.quantile(values, 0.75),
                values.length);
    }

    private static Cell proportion(int initial, int denominator, int numerator) {
        Map<String, Integer> populations = new LinkedHashMap<>();
        populations.put("initial-population", initial);
        populations.put("denominator", denominator);
        populations.put("numerator", numerator);
        return new Cell(
                populations,
                denominator == 0 ? Double.NaN : (double) numerator / denominator,
                Double.NaN,
                Double.NaN,
                denominator);
    }
}
