package org.mcsfhir.server.outcomes;

import java.util.List;
import java.util.Map;
import org.mcsfhir.server.guide.GuideCodes;

/** The guide's canonical URLs and codes the outcome audit reads (evidence) and writes (Measures, reports). */
final class OutcomeCodes {

    static final String BASE = GuideCodes.BASE;
    static final String SNOMED = GuideCodes.SNOMED;
    static final String LOINC = GuideCodes.LOINC;
    static final String DATA_ABSENT_REASON_CS = "http://terminology.hl7.org/CodeSystem/data-absent-reason";

    // --- evidence (read)
    static final String INSERTION_CODE = GuideCodes.INSERTION_CODE;
    static final String REMOVAL_SYSTEM = GuideCodes.REMOVAL_SYSTEM;
    static final String REMOVAL_CODE = GuideCodes.REMOVAL_CODE;
    static final String OBSERVATION_CODE_SYSTEM = GuideCodes.OBSERVATION_CODE_SYSTEM;
    static final String VITAL_STATUS = GuideCodes.VITAL_STATUS_CODE;
    static final String SUPPORT_OUTCOME = GuideCodes.SUPPORT_OUTCOME_CODE;
    static final String SCAI_STAGE = GuideCodes.SCAI_STAGE_CODE;
    static final String PREGNANCY_STATUS = GuideCodes.PREGNANCY_STATUS_CODE;
    static final String EQ5D_INDEX = "736534008";
    static final String EQ_VAS = "736535009";
    static final String ALIVE = "438949009";
    static final String DEAD = GuideCodes.DEAD;
    static final String FOLLOW_UP_POINT_EXTENSION = GuideCodes.FOLLOW_UP_POINT_EXTENSION;
    static final String CONSENT_EXTENSION = GuideCodes.CONSENT_EXTENSION;
    static final String CONDITION_CATEGORY_SYSTEM = GuideCodes.CONDITION_CATEGORY_SYSTEM;
    static final String COMPLICATION_SYSTEM = BASE + "CodeSystem/mcs-complication-cs";
    static final String BARC_SYSTEM = BASE + "CodeSystem/mcs-barc-bleeding-cs";
    static final String SUPPORT_END_SYSTEM = GuideCodes.SUPPORT_END_SYSTEM;
    static final String SCAI_SYSTEM = BASE + "CodeSystem/mcs-scai-stage-cs";
    static final String PREGNANCY_STATUS_SYSTEM = BASE + "CodeSystem/mcs-pregnancy-status-cs";
    static final String AETIOLOGY_SYSTEM = BASE + "CodeSystem/mcs-shock-aetiology-cs";
    static final String DEATH_ON_SUPPORT = GuideCodes.DEATH_ON_SUPPORT;

    /** Follow-up point code → its day (a vital status or QoL at that point is taken to be on that day at least). */
    static final Map<String, Integer> FOLLOW_UP_DAYS = Map.of("30d", 30, "180d", 180, "1y", 365);

    static final List<String> BARC_TYPES = List.of("1", "2", "3a", "3b", "3c", "4", "5a", "5b");

    static final List<String> SUPPORT_END_REASONS = List.of(
            "myocardial-recovery",
            "bridge-to-transplant",
            "bridge-to-durable-lvad",
            "escalation-va-ecmo",
            "escalation-other-mcs",
            "device-complication",
            DEATH_ON_SUPPORT,
            "palliation");

    // --- audit content (written)
    static final String MEASURE_BASE = BASE + "Measure/";
    static final String AUDIT_SYSTEM = BASE + "CodeSystem/mcs-audit-cs";
    static final String MEASURE_POPULATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-population";
    static final String SMALL_CELL_EXTENSION = BASE + "StructureDefinition/mcs-small-cell";
    static final String CONFIDENCE_INTERVAL_EXTENSION = BASE + "StructureDefinition/mcs-confidence-interval";
    static final String INTERQUARTILE_RANGE_EXTENSION = BASE + "StructureDefinition/mcs-interquartile-range";
    static final String REFERENCE_DATE_EXTENSION = BASE + "StructureDefinition/mcs-audit-reference-date";

    private OutcomeCodes() {}
}
