package org.mcsfhir.server.outcomes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kaplan–Meier curves to one year for the dashboard: overall, then one per stratum of a stratifier (the strata
 * {@code $audit} reports, in its order), each as the steps of {@link KaplanMeier#steps} and the numbers at risk at
 * fixed days. The curves use the same survival times as {@code $audit}, so they pass through its 30 d / 180 d / 1 y
 * figures.
 */
final class SurvivalCurves {

    static final String ALL = "all";
    static final int LAST_DAY = AuditFigures.SURVIVAL_POINTS.get("survival-1y");
    static final List<Integer> RISK_DAYS = List.of(0, 30, 90, 180, LAST_DAY);

    /** One curve: its cohort size, steps, and day → subjects at risk just before it. */
    record Curve(
            String stratifier, String stratum, int n, List<KaplanMeier.Step> steps, Map<Integer, Integer> atRisk) {}

    private SurvivalCurves() {}

    /** The overall curve, then per stratum when {@code stratifier} is given (null: overall only). */
    static List<Curve> of(List<AuditCase> cases, String stratifier) {
        List<Curve> curves = new ArrayList<>();
        curves.add(curve(ALL, ALL, cases));
        if (stratifier != null) {
            for (String stratum : Stratification.strataOf(stratifier, cases)) {
                curves.add(curve(
                        stratifier,
                        stratum,
                        cases.stream()
                                .filter(c -> stratum.equals(c.strata().get(stratifier)))
                                .toList()));
            }
        }
        return curves;
    }

    private static Curve curve(String stratifier, String stratum, List<AuditCase> cases) {
        List<KaplanMeier.Observation> observations =
                cases.stream().map(AuditCase::survival).toList();
        Map<Integer, Integer> atRisk = new LinkedHashMap<>();
        for (int day : RISK_DAYS) {
            atRisk.put(day, (int)
                    observations.stream().filter(o -> o.time() >= day).count());
        }
        return new Curve(stratifier, stratum, cases.size(), KaplanMeier.steps(observations, LAST_DAY), atRisk);
    }
}
