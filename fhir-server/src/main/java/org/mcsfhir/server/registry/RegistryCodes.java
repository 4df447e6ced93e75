package org.mcsfhir.server.registry;

import org.mcsfhir.server.guide.GuideCodes;

/** The guide's canonical URLs and codes the registry feature reads and writes. */
final class RegistryCodes {

    static final String BASE = GuideCodes.BASE;
    static final String SD = BASE + "StructureDefinition/";
    static final String REGISTRY_CASE = SD + "mcs-registry-case";
    static final String PATIENT = SD + "mcs-patient";
    static final String CENTRE = SD + "mcs-implanting-centre";
    static final String OPERATOR = SD + "mcs-operator";
    static final String PUMP = SD + "mcs-microaxial-pump";
    static final String INSERTION = SD + "mcs-pump-insertion";
    static final String REMOVAL = SD + "mcs-pump-removal";
    static final String CONSENT = SD + "mcs-enhanced-consent";
    static final String SHOCK_ASSESSMENT = SD + "mcs-shock-assessment";
    static final String HAEMODYNAMICS = SD + "mcs-haemodynamics";
    static final String SELECTION_FINDING = SD + "mcs-selection-finding";
    static final String PREGNANCY_STATUS = SD + "mcs-pregnancy-status";
    static final String COMPLICATION = SD + "mcs-complication";
    static final String VITAL_STATUS = SD + "mcs-vital-status";
    static final String SUPPORT_OUTCOME = SD + "mcs-support-outcome";
    static final String QUALITY_OF_LIFE = SD + "mcs-quality-of-life";
    static final String TELEMETRY = GuideCodes.TELEMETRY_PROFILE;
    static final String TELEMETRY_SUMMARY = SD + "mcs-telemetry-summary";
    /** Not in the guide yet (see docs/registry.md): age in whole years at insertion on a pseudonymised Patient. */
    static final String AGE_AT_INSERTION_EXTENSION = SD + "mcs-age-at-insertion";

    static final String CASE_IDENTIFIER_SYSTEM = BASE + "sid/registry-case";
    static final String PSEUDONYM_SYSTEM = BASE + "sid/registry-pseudonym";
    static final String SUMMARY_IDENTIFIER_SYSTEM = BASE + "sid/telemetry-summary";
    static final String WINDOW_IDENTIFIER_SYSTEM = GuideCodes.TELEMETRY_WINDOW_IDENTIFIER_SYSTEM;
    static final String SUMMARY_SYSTEM = GuideCodes.TELEMETRY_SUMMARY_SYSTEM;
    static final String CHANNEL_SYSTEM = GuideCodes.TELEMETRY_CHANNEL_SYSTEM;
    static final String CATEGORY_SYSTEM = GuideCodes.OBSERVATION_CATEGORY_SYSTEM;
    static final String TELEMETRY_CATEGORY_CODE = GuideCodes.TELEMETRY_CATEGORY_CODE;
    static final String DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
    static final String SNOMED = GuideCodes.SNOMED;
    static final String LOINC = GuideCodes.LOINC;
    static final String UCUM = GuideCodes.UCUM;
    /** mcs-pump-insertion's fixed Procedure.code. */
    static final String INSERTION_CODE = GuideCodes.INSERTION_CODE;

    static final String PREGNANCY_STATUS_CODE = GuideCodes.PREGNANCY_STATUS_CODE;

    private RegistryCodes() {}
}
