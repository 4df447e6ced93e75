package org.mcsfhir.server.outcomes;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.StringType;
import org.mcsfhir.server.errors.ClientErrors;

/**
 * The cohort filters of the dashboard (HTG775 §3.11–3.13: sex, age, pregnancy): an insertion passes when its stratum of
 * each given stratifier is the asked code. Codes are the strata of {@link Stratification} (or {@code not-recorded});
 * another value is 400 {@code MCS-1021}, so a typo never yields a silently empty cohort.
 *
 * @param sex stratum of {@link Stratification#SEX}, or null for any
 * @param ageBand stratum of {@link Stratification#AGE_BAND}, or null for any
 * @param pregnancy stratum of {@link Stratification#PREGNANCY}, or null for any
 */
record AuditFilter(String sex, String ageBand, String pregnancy) {

    static final String SEX = "sex";
    static final String AGE_BAND = "ageBand";
    static final String PREGNANCY = "pregnancy";

    static final AuditFilter NONE = new AuditFilter(null, null, null);

    static AuditFilter parse(StringType sex, StringType ageBand, StringType pregnancy) {
        return new AuditFilter(
                code(sex, SEX, Stratification.SEX),
                code(ageBand, AGE_BAND, Stratification.AGE_BAND),
                code(pregnancy, PREGNANCY, Stratification.PREGNANCY));
    }

    boolean test(AuditCase c) {
        return matches(c, Stratification.SEX, sex)
                && matches(c, Stratification.AGE_BAND, ageBand)
                && matches(c, Stratification.PREGNANCY, pregnancy);
    }

    List<AuditCase> apply(List<AuditCase> cases) {
        return this.equals(NONE) ? cases : cases.stream().filter(this::test).toList();
    }

    private static boolean matches(AuditCase c, String stratifier, String code) {
        return code == null || code.equals(c.strata().get(stratifier));
    }

    private static String code(StringType value, String name, String stratifier) {
        if (value == null || value.isEmpty() || value.getValue().isBlank()) {
            return null;
        }
        String text = value.getValue().trim();
        List<String> allowed = new ArrayList<>(Stratification.STRATIFIERS.get(stratifier));
        allowed.add(Stratification.NOT_RECORDED);
        if (!allowed.contains(text)) {
            throw ClientErrors.invalid("MCS-1021: " + name + " '" + text + "' is not one of " + allowed, name);
        }
        return text;
    }
}
