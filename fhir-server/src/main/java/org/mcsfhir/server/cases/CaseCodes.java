package org.mcsfhir.server.cases;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.mcsfhir.server.guide.GuideCodes;

/**
 * How the case model recognises the guide's codes in stored resources ({@link GuideCodes} holds the codes): what is
 * an insertion, a removal, a complication, a telemetry record, a follow-up point.
 */
public final class CaseCodes {

    private CaseCodes() {}

    /** Whether any coding has this code (whatever its system). */
    public static boolean hasCode(CodeableConcept concept, String code) {
        return concept != null && concept.getCoding().stream().anyMatch(c -> code.equals(c.getCode()));
    }

    /** Whether a coding has this system and code. */
    public static boolean hasCode(CodeableConcept concept, String system, String code) {
        return concept != null
                && concept.getCoding().stream().anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
    }

    /** The first code of this system, or null. */
    public static String codeIn(CodeableConcept concept, String system) {
        if (concept == null) {
            return null;
        }
        for (Coding coding : concept.getCoding()) {
            if (system.equals(coding.getSystem()) && coding.hasCode()) {
                return coding.getCode();
            }
        }
        return null;
    }

    /** A pump insertion: SNOMED CT 232967006 (mcs-pump-insertion). */
    public static boolean isInsertion(Procedure procedure) {
        return hasCode(procedure.getCode(), GuideCodes.SNOMED, GuideCodes.INSERTION_CODE);
    }

    /** A pump removal (mcs-pump-removal). */
    public static boolean isRemoval(Procedure procedure) {
        return hasCode(procedure.getCode(), GuideCodes.REMOVAL_SYSTEM, GuideCodes.REMOVAL_CODE);
    }

    /** A record of the pump console (category from mcs-observation-category-cs, e.g. device-telemetry). */
    public static boolean isTelemetry(Observation observation) {
        return observation.getCategory().stream()
                .flatMap(c -> c.getCoding().stream())
                .anyMatch(c -> GuideCodes.OBSERVATION_CATEGORY_SYSTEM.equals(c.getSystem()));
    }

    /** A patient-selection finding the case keeps: SCAI shock stage or pregnancy status. */
    public static boolean isSelection(Observation observation) {
        return hasCode(observation.getCode(), GuideCodes.OBSERVATION_CODE_SYSTEM, GuideCodes.SCAI_STAGE_CODE)
                || hasCode(observation.getCode(), GuideCodes.LOINC, GuideCodes.PREGNANCY_STATUS_CODE);
    }

    /** The follow-up point code (e.g. {@code 30d}) of a vital status or QoL observation, or null. */
    public static String followUpPoint(Observation observation) {
        for (Extension e : observation.getExtensionsByUrl(GuideCodes.FOLLOW_UP_POINT_EXTENSION)) {
            if (e.getValue() instanceof CodeableConcept concept && concept.hasCoding()) {
                return concept.getCodingFirstRep().getCode();
            }
        }
        return null;
    }
}
