package org.mcsfhir.server.worklist;

import org.mcsfhir.server.guide.GuideCodes;

/** The guide's canonical URLs and codes the worklist reads and writes. */
final class WorklistCodes {

    static final String BASE = GuideCodes.BASE;
    static final String TASK_PROFILE = BASE + "StructureDefinition/mcs-worklist-task";
    static final String ITEM_SYSTEM = BASE + "CodeSystem/mcs-worklist-item-cs";
    static final String IDENTIFIER_SYSTEM = BASE + "sid/worklist-item";
    static final String OBSERVATION_CODE_SYSTEM = GuideCodes.OBSERVATION_CODE_SYSTEM;
    static final String SUPPORT_END_SYSTEM = GuideCodes.SUPPORT_END_SYSTEM;
    static final String SNOMED = GuideCodes.SNOMED;
    /** mcs-pump-insertion's fixed Procedure.code. */
    static final String INSERTION_CODE = GuideCodes.INSERTION_CODE;

    static final String DEAD = GuideCodes.DEAD;
    static final String DEATH_ON_SUPPORT = GuideCodes.DEATH_ON_SUPPORT;
    static final String VITAL_STATUS = GuideCodes.VITAL_STATUS_CODE;
    static final String SUPPORT_OUTCOME = GuideCodes.SUPPORT_OUTCOME_CODE;

    private WorklistCodes() {}
}
