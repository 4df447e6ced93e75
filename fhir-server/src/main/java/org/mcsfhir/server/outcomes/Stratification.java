package org.mcsfhir.server.outcomes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.mcsfhir.server.cases.CaseCodes;
import org.mcsfhir.server.guide.GuideCodes;

/**
 * The audit's stratifiers (HTG775 §3.11–3.13 equality considerations, plus technique, centre and selection) and how an
 * insertion falls into a stratum. Strata with a fixed vocabulary are always reported, even when empty (an empty
 * stratum, e.g. no pregnant patients, is itself a finding); device models and centres are the ones present.
 */
final class Stratification {

    static final String SEX = "sex";
    static final String AGE_BAND = "age-band";
    static final String PREGNANCY = "pregnancy-status";
    static final String DEVICE_MODEL = "device-model";
    static final String ACCESS_SITE = "access-site";
    static final String CENTRE = "centre";
    static final String SCAI_STAGE = "scai-stage";
    static final String AETIOLOGY = "aetiology";

    static final String NOT_RECORDED = "not-recorded";
    static final String AMI = "ami";
    static final String NON_AMI = "non-ami";

    /** Stratifier code → the strata always reported (in this order); others present in the data follow, sorted. */
    static final Map<String, List<String>> STRATIFIERS = orderedStratifiers();

    private Stratification() {}

    private static Map<String, List<String>> orderedStratifiers() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        map.put(SEX, List.of("female", "male", "other", "unknown"));
        map.put(AGE_BAND, List.of("under-50", "50-64", "65-74", "75-and-over"));
        map.put(PREGNANCY, List.of("pregnant", "postpartum-6w", "postpartum-1y", "not-pregnant", "unknown"));
        map.put(DEVICE_MODEL, List.of());
        // what each access site stratum counts is the guide's ConceptMap mcs-access-site-to-audit (StratumMaps)
        map.put(ACCESS_SITE, List.of("femoral", "axillary", "subclavian", "direct-aortic", "transcaval"));
        map.put(CENTRE, List.of());
        map.put(SCAI_STAGE, List.of("A", "B", "C", "D", "E"));
        map.put(AETIOLOGY, List.of(AMI, NON_AMI));
        return Collections.unmodifiableMap(map);
    }

    static String ageBand(int years) {
        if (years < 50) {
            return "under-50";
        }
        if (years < 65) {
            return "50-64";
        }
        return years < 75 ? "65-74" : "75-and-over";
    }

    /** mcs-pregnancy-status-vs value → stratum; null for a value outside the value set. */
    static String pregnancyStratum(CodeableConcept value) {
        if (CaseCodes.hasCode(value, "77386006")) {
            return "pregnant";
        }
        if (CaseCodes.hasCode(value, "60001007")) {
            return "not-pregnant";
        }
        if (CaseCodes.hasCode(value, "postpartum-6w")) {
            return "postpartum-6w";
        }
        if (CaseCodes.hasCode(value, "postpartum-1y")) {
            return "postpartum-1y";
        }
        return CaseCodes.hasCode(value, "LA4489-6") ? "unknown" : null;
    }

    /** The strata to report for one stratifier over the cohort: the fixed ones, then the others present. */
    static List<String> strataOf(String stratifier, List<AuditCase> cases) {
        List<String> fixed = STRATIFIERS.get(stratifier);
        List<String> strata = new ArrayList<>(fixed);
        TreeSet<String> present = new TreeSet<>();
        for (AuditCase c : cases) {
            present.add(c.strata().get(stratifier));
        }
        boolean notRecorded = present.remove(NOT_RECORDED);
        present.removeAll(fixed);
        strata.addAll(present);
        if (notRecorded) {
            strata.add(NOT_RECORDED);
        }
        return strata;
    }

    /** A stratum value: {@code text} is the stratum code; a coding where the guide or FHIR has a code for it. */
    static CodeableConcept valueOf(String stratifier, String stratum) {
        CodeableConcept value = new CodeableConcept().setText(stratum);
        switch (stratifier) {
            case SEX ->
                value.addCoding()
                        .setSystem(
                                NOT_RECORDED.equals(stratum)
                                        ? GuideCodes.AUDIT_SYSTEM
                                        : "http://hl7.org/fhir/administrative-gender")
                        .setCode(stratum);
            case SCAI_STAGE ->
                value.addCoding()
                        .setSystem(
                                NOT_RECORDED.equals(stratum) ? GuideCodes.AUDIT_SYSTEM : GuideCodes.SCAI_STAGE_SYSTEM)
                        .setCode(stratum);
            case AGE_BAND, AETIOLOGY, PREGNANCY, ACCESS_SITE ->
                value.addCoding().setSystem(GuideCodes.AUDIT_SYSTEM).setCode(stratum);
            default -> {
                if (NOT_RECORDED.equals(stratum)) {
                    value.addCoding().setSystem(GuideCodes.AUDIT_SYSTEM).setCode(stratum);
                }
            }
        }
        return value;
    }
}
