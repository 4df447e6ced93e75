package org.mcsfhir.server.guide;

/**
 * Canonical URLs and codes of the implementation guide that several features look for in stored resources (the
 * registry case, the worklist, the outcome audit, telemetry).
 * One place, so a code changed in the guide is changed once.
 */
public final class GuideCodes {

    public static final String BASE = "https://mcs-fhir.org/fhir/";
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String LOINC = "http://loinc.org";
    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String INSERTION_CODE = "232967006";
    public static final String REMOVAL_SYSTEM = BASE + "CodeSystem/mcs-pump-procedure-cs";
    public static final String REMOVAL_CODE = "microaxial-pump-removal";
    public static final String OBSERVATION_CODE_SYSTEM = BASE + "CodeSystem/mcs-observation-code-cs";
    public static final String OBSERVATION_CATEGORY_SYSTEM = BASE + "CodeSystem/mcs-observation-category-cs";
    public static final String CONDITION_CATEGORY_SYSTEM = BASE + "CodeSystem/mcs-condition-category-cs";
    public static final String SUPPORT_END_SYSTEM = BASE + "CodeSystem/mcs-support-end-cs";
    public static final String FOLLOW_UP_POINT_EXTENSION = BASE + "StructureDefinition/mcs-follow-up-point";
    public static final String CONSENT_EXTENSION = BASE + "StructureDefinition/mcs-consent";
    public static final String DEAD = "419099009";
    public static final String DEATH_ON_SUPPORT = "death-on-support";
    /** SCAI shock stage observation code ({@link #OBSERVATION_CODE_SYSTEM}). */
    public static final String SCAI_STAGE = "scai-shock-stage";
    /** Pregnancy status observation code ({@link #LOINC}). */
    public static final String PREGNANCY_STATUS = "82810-3";
    /** Codes of {@link #OBSERVATION_CODE_SYSTEM}: the follow-up vital status and the outcome of support. */
    public static final String VITAL_STATUS_CODE = "vital-status";

    public static final String SUPPORT_OUTCOME_CODE = "support-outcome";
    /** Telemetry windows: written by the telemetry feature, read by the registry case and the access rules. */
    public static final String TELEMETRY_PROFILE = BASE + "StructureDefinition/mcs-pump-telemetry";

    public static final String TELEMETRY_CATEGORY_CODE = "device-telemetry";
    public static final String TELEMETRY_CATEGORY_DISPLAY = "Device telemetry";
    public static final String TELEMETRY_CHANNEL_SYSTEM = BASE + "CodeSystem/mcs-telemetry-channel-cs";
    public static final String TELEMETRY_SUMMARY_SYSTEM = BASE + "CodeSystem/mcs-telemetry-summary-cs";
    public static final String TELEMETRY_WINDOW_SYSTEM = BASE + "sid/telemetry-window";

    private GuideCodes() {}
}
