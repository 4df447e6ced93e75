package org.mcsfhir.server.worklist;

/** The guide's canonical URLs and codes the worklist reads and writes. */
final class WorklistCodes {

    static final String BASE = "https://mcs-fhir.org/fhir/";
    static final String TASK_PROFILE = BASE + "StructureDefinition/mcs-worklist-task";
    static final String ITEM_SYSTEM = BASE + "CodeSystem/mcs-worklist-item-cs";
    static final String IDENTIFIER_SYSTEM = BASE + "sid/worklist-item";
    static final String CONSENT_EXTENSION = BASE + "StructureDefinition/mcs-consent";
    static final String FOLLOW_UP_POINT_EXTENSION = BASE + "StructureDefinition/mcs-follow-up-point";
    static final String OBSERVATION_CODE_SYSTEM = BASE + "CodeSystem/mcs-observation-code-cs";
    static final String OBSERVATION_CATEGORY_SYSTEM = BASE + "CodeSystem/mcs-observation-category-cs";
    static final String SUPPORT_END_SYSTEM = BASE + "CodeSystem/mcs-support-end-cs";
    static final String REMOVAL_SYSTEM = BASE + "CodeSystem/mcs-pump-procedure-cs";
    static final String REMOVAL_CODE = "microaxial-pump-removal";
    static final String SNOMED = "http://snomed.info/sct";
    /** mcs-pump-insertion's fixed Procedure.code. */
    static final String INSERTION_CODE = "232967006";
    static final String DEAD = "419099009";
    static final String DEATH_ON_SUPPORT = "death-on-support";

    private WorklistCodes() {}
}
