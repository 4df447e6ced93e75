package org.mcsfhir.server.guide;

/**
 * The implementation guide's vocabulary as the server uses it: canonical URLs of its profiles, extensions, code
 * systems and Measures, its identifier systems and the codes that features look for in stored resources or write
 * (the registry case, the worklist, the outcome audit, telemetry, the access rules). One class, imported by every
 * feature, so a URL or code changed in the guide is changed once; {@code GuideVocabularyTest} checks every canonical
 * URL here against the guide package.
 */
public final class GuideCodes {

    public static final String BASE = "https://mcs-fhir.org/fhir/";
    /** Prefix of the guide's profiles and extensions. */
    public static final String STRUCTURE_DEFINITION_BASE = BASE + "StructureDefinition/";
    /** Prefix of the guide's audit Measures (the tail is the Measure id). */
    public static final String MEASURE_BASE = BASE + "Measure/";

    // --- external terminologies several features use
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String LOINC = "http://loinc.org";
    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String DATA_ABSENT_REASON_EXTENSION =
            "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
    public static final String MEASURE_POPULATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-population";

    // --- profiles
    public static final String REGISTRY_CASE_PROFILE = STRUCTURE_DEFINITION_BASE + "mcs-registry-case";
    public static final String PATIENT_PROFILE = STRUCTURE_DEFINITION_BASE + "mcs-patient";
    public static final String SHOCK_ASSESSMENT_PROFILE = STRUCTURE_DEFINITION_BASE + "mcs-shock-assessment";
    public static final String HAEMODYNAMICS_PROFILE = STRUCTURE_DEFINITION_BASE + "mcs-haemodynamics";
    public static final String SELECTION_FINDING_PROFILE = STRUCTURE_DEFINITION_BASE + "mcs-selection-finding";
    public static final String PREGNANCY_STATUS_PROFILE = STRUCTURE_DEFINITION_BASE + "mcs-pregnancy-status";
    public static final String VITAL_STATUS_PROFILE = STRUCTURE_DEFINITION_BASE + "mcs-vital-status";
    public static final String SUPPORT_OUTCOME_PROFILE = STRUCTURE_DEFINITION_BASE + "mcs-support-outcome";
    public static final String QUALITY_OF_LIFE_PROFILE = STRUCTURE_DEFINITION_BASE + "mcs-quality-of-life";
    /** Telemetry windows: written by the telemetry feature, read by the registry case and the access rules. */
    public static final String TELEMETRY_PROFILE = STRUCTURE_DEFINITION_BASE + "mcs-pump-telemetry";

    public static final String TELEMETRY_SUMMARY_PROFILE = STRUCTURE_DEFINITION_BASE + "mcs-telemetry-summary";
    public static final String WORKLIST_TASK_PROFILE = STRUCTURE_DEFINITION_BASE + "mcs-worklist-task";

    // --- extensions
    public static final String FOLLOW_UP_POINT_EXTENSION = STRUCTURE_DEFINITION_BASE + "mcs-follow-up-point";
    public static final String CONSENT_EXTENSION = STRUCTURE_DEFINITION_BASE + "mcs-consent";
    /** Age in whole years at insertion, on a pseudonymised Patient. */
    public static final String AGE_AT_INSERTION_EXTENSION = STRUCTURE_DEFINITION_BASE + "mcs-age-at-insertion";
    /** On audit MeasureReports: a suppressed small cell, a proportion's CI, a median's IQR, the reference date. */
    public static final String SMALL_CELL_EXTENSION = STRUCTURE_DEFINITION_BASE + "mcs-small-cell";

    public static final String CONFIDENCE_INTERVAL_EXTENSION = STRUCTURE_DEFINITION_BASE + "mcs-confidence-interval";
    public static final String INTERQUARTILE_RANGE_EXTENSION = STRUCTURE_DEFINITION_BASE + "mcs-interquartile-range";
    public static final String AUDIT_REFERENCE_DATE_EXTENSION = STRUCTURE_DEFINITION_BASE + "mcs-audit-reference-date";

    // --- code systems
    public static final String REMOVAL_SYSTEM = BASE + "CodeSystem/mcs-pump-procedure-cs";
    public static final String OBSERVATION_CODE_SYSTEM = BASE + "CodeSystem/mcs-observation-code-cs";
    public static final String OBSERVATION_CATEGORY_SYSTEM = BASE + "CodeSystem/mcs-observation-category-cs";
    public static final String CONDITION_CATEGORY_SYSTEM = BASE + "CodeSystem/mcs-condition-category-cs";
    public static final String SUPPORT_END_SYSTEM = BASE + "CodeSystem/mcs-support-end-cs";
    public static final String COMPLICATION_SYSTEM = BASE + "CodeSystem/mcs-complication-cs";
    public static final String BARC_SYSTEM = BASE + "CodeSystem/mcs-barc-bleeding-cs";
    public static final String SCAI_STAGE_SYSTEM = BASE + "CodeSystem/mcs-scai-stage-cs";
    public static final String SHOCK_AETIOLOGY_SYSTEM = BASE + "CodeSystem/mcs-shock-aetiology-cs";
    public static final String TELEMETRY_CHANNEL_SYSTEM = BASE + "CodeSystem/mcs-telemetry-channel-cs";
    public static final String TELEMETRY_SUMMARY_SYSTEM = BASE + "CodeSystem/mcs-telemetry-summary-cs";
    public static final String WORKLIST_ITEM_SYSTEM = BASE + "CodeSystem/mcs-worklist-item-cs";
    /** The audit's group, population and stratum codes. */
    public static final String AUDIT_SYSTEM = BASE + "CodeSystem/mcs-audit-cs";

    // --- identifier systems
    public static final String TELEMETRY_WINDOW_IDENTIFIER_SYSTEM = BASE + "sid/telemetry-window";
    public static final String TELEMETRY_SUMMARY_IDENTIFIER_SYSTEM = BASE + "sid/telemetry-summary";
    public static final String REGISTRY_CASE_IDENTIFIER_SYSTEM = BASE + "sid/registry-case";
    public static final String REGISTRY_PSEUDONYM_IDENTIFIER_SYSTEM = BASE + "sid/registry-pseudonym";
    public static final String WORKLIST_ITEM_IDENTIFIER_SYSTEM = BASE + "sid/worklist-item";

    // --- codes
    /**
     * mcs-pump-insertion's fixed Procedure.code ({@link #SNOMED}): implantation of left cardiac ventricular assist
     * device.
     */
    public static final String INSERTION_CODE = "232967006";
    /** mcs-pump-removal's Procedure.code ({@link #REMOVAL_SYSTEM}). */
    public static final String REMOVAL_CODE = "microaxial-pump-removal";
    /** Codes of {@link #OBSERVATION_CODE_SYSTEM}: SCAI shock stage, follow-up vital status, outcome of support. */
    public static final String SCAI_STAGE_CODE = "scai-shock-stage";

    public static final String VITAL_STATUS_CODE = "vital-status";
    public static final String SUPPORT_OUTCOME_CODE = "support-outcome";
    /** Pregnancy status observation code ({@link #LOINC}). */
    public static final String PREGNANCY_STATUS_CODE = "82810-3";
    /** Vital status values ({@link #SNOMED}). */
    public static final String ALIVE = "438949009";

    public static final String DEAD = "419099009";
    /** Quality-of-life observation codes ({@link #SNOMED}): EQ-5D index value and EQ VAS score. */
    public static final String EQ5D_INDEX = "736534008";

    public static final String EQ_VAS = "736535009";
    /** The way of ending support that is death ({@link #SUPPORT_END_SYSTEM}). */
    public static final String DEATH_ON_SUPPORT = "death-on-support";
    /** The category of complication Conditions ({@link #CONDITION_CATEGORY_SYSTEM}). */
    public static final String COMPLICATION_CATEGORY_CODE = "complication";
    /** The category of telemetry Observations ({@link #OBSERVATION_CATEGORY_SYSTEM}). */
    public static final String TELEMETRY_CATEGORY_CODE = "device-telemetry";

    public static final String TELEMETRY_CATEGORY_DISPLAY = "Device telemetry";

    private GuideCodes() {}
}
