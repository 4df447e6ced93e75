package org.mcsfhir.server.outcomes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The 30-day figures that compare centres (funnel plots) and watch one centre over time (VLAD, CUSUM), defined as the
 * matching {@code $audit} figures: 30-day mortality counts the deaths up to day 30 among the insertions whose status at
 * day 30 is known (dead by then, or followed to day 30: {@code $audit}'s {@code survival-30d} initial population less
 * its censored), which is 1 − S(30) when nobody is censored before day 30; any complication counts the insertions
 * with a complication of any type with onset up to day 30 among all insertions ({@code $audit}'s short-term
 * complications). National figures are over every centre's insertions; expected risks by indirect standardisation.
 */
final class CentreComparison {

    static final int DAY = AuditFigures.SURVIVAL_POINTS.get("survival-30d");

    /** A funnel measure: which insertions count (denominator) and which of them had the event. */
    record FunnelMeasure(String code, Predicate<AuditCase> counted, Predicate<AuditCase> event) {}

    static final List<FunnelMeasure> FUNNEL_MEASURES = List.of(
            new FunnelMeasure("mortality-30d", CentreComparison::statusKnown, CentreComparison::diedBy30),
            new FunnelMeasure("complication-any", c -> true, CentreComparison::complicatedBy30));

    /** Events and denominator of one set of insertions. */
    record Rate(int n, int events) {
        double rate() {
            return n == 0 ? Double.NaN : (double) events / n;
        }
    }

    private CentreComparison() {}

    static boolean statusKnown(AuditCase c) {
        KaplanMeier.Observation o = c.survival();
        return o.event() || o.time() >= DAY;
    }

    static boolean diedBy30(AuditCase c) {
        KaplanMeier.Observation o = c.survival();
        return o.event() && o.time() <= DAY;
    }

    static boolean complicatedBy30(AuditCase c) {
        return c.complications().stream().anyMatch(x -> x.onsetDay() <= AuditFigures.SHORT_TERM_DAYS);
    }

    static Rate rate(List<AuditCase> cases, FunnelMeasure measure) {
        List<AuditCase> counted = cases.stream().filter(measure.counted()).toList();
        return new Rate(
                counted.size(), (int) counted.stream().filter(measure.event()).count());
    }

    /** Centre → its insertions, centres in reference order; insertions without a centre belong to none. */
    static Map<String, List<AuditCase>> byCentre(List<AuditCase> cases) {
        Map<String, List<AuditCase>> centres = new TreeMap<>();
        for (AuditCase c : cases) {
            if (c.centre() != null) {
                centres.computeIfAbsent(c.centre(), k -> new ArrayList<>()).add(c);
            }
        }
        return centres;
    }

    /**
     * Expected 30-day mortality of an insertion: the national rate of its SCAI stage; the overall national rate for a
     * stage not recorded or with no insertion of known status (indirect standardisation).
     */
    static Map<String, Double> expectedByStage(List<AuditCase> national) {
        FunnelMeasure mortality = FUNNEL_MEASURES.get(0);
        double overall = rate(national, mortality).rate();
        Map<String, List<AuditCase>> byStage = new HashMap<>();
        for (AuditCase c : national) {
            byStage.computeIfAbsent(c.strata().get(Stratification.SCAI_STAGE), k -> new ArrayList<>())
                    .add(c);
        }
        Map<String, Double> expected = new HashMap<>();
        byStage.forEach((stage, members) -> {
            Rate r = rate(members, mortality);
            expected.put(stage, Stratification.NOT_RECORDED.equals(stage) || r.n() == 0 ? overall : r.rate());
        });
        return expected;
    }

    /** A centre's insertions of known 30-day status in time order (start date, then insertion id) for VLAD/CUSUM. */
    static List<SafetyCharts.Outcome> outcomes(List<AuditCase> centre, Map<String, Double> expectedByStage) {
        return centre.stream()
                .filter(CentreComparison::statusKnown)
                .sorted(Comparator.comparing(AuditCase::insertionDate).thenComparing(AuditCase::insertionId))
                .map(c -> new SafetyCharts.Outcome(
                        c.insertionDate(), expectedByStage.get(c.strata().get(Stratification.SCAI_STAGE)), diedBy30(c)))
                .toList();
    }
}
