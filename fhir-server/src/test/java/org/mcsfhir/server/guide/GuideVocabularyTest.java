package org.mcsfhir.server.guide;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vocabulary classes against the guide's own JSON: every canonical URL the server looks for is a resource of the
 * package, and every guide code it matches is a concept of its CodeSystem. A renamed profile or code in the guide
 * fails here, not as a silently empty audit or worklist.
 */
class GuideVocabularyTest {

    /**
     * {@link GuideCodes}, which holds the guide's canonical URLs and codes, and the classes that match or list guide
     * codes in a feature: a guide URL retyped in one of them is checked too.
     */
    private static final List<String> VOCABULARY_CLASSES = List.of(
            "org.mcsfhir.server.guide.GuideCodes",
            "org.mcsfhir.server.cases.CaseCodes",
            "org.mcsfhir.server.security.AccessRules",
            "org.mcsfhir.server.outcomes.AuditFigures",
            "org.mcsfhir.server.telemetry.mllp.ChannelMap");

    private static final List<String> CANONICAL_TYPES =
            List.of("CodeSystem", "ValueSet", "ConceptMap", "StructureDefinition", "OperationDefinition", "Measure");

    private static final Set<String> canonicals = new HashSet<>();
    private static final Map<String, Set<String>> concepts = new HashMap<>();

    @BeforeAll
    static void readGuide() throws IOException {
        FhirContext fhir = FhirContext.forR4Cached();
        NpmPackage npm = GuideInstaller.guidePackage();
        for (String name : npm.list("package")) {
            if (!name.endsWith(".json") || !CANONICAL_TYPES.contains(name.split("-")[0])) {
                continue;
            }
            try (InputStream in = npm.load("package", name)) {
                IBaseResource resource = fhir.newJsonParser().parseResource(in);
                canonicals.add(((MetadataResource) resource).getUrl());
                if (resource instanceof CodeSystem codeSystem) {
                    Set<String> codes = new HashSet<>();
                    collect(codeSystem.getConcept(), codes);
                    concepts.put(codeSystem.getUrl(), codes);
                }
            }
        }
        assertThat(canonicals).as("guide package read").hasSizeGreaterThan(20);
    }

    @Test
    void everyGuideCanonicalTheServerLooksForIsInThePackage() throws Exception {
        List<String> checked = new ArrayList<>();
        for (String className : VOCABULARY_CLASSES) {
            for (Map.Entry<String, String> constant : stringConstants(className).entrySet()) {
                String value = constant.getValue();
                boolean canonical = value.startsWith(GuideCodes.BASE)
                        && CANONICAL_TYPES.stream().anyMatch(t -> value.startsWith(GuideCodes.BASE + t + "/"))
                        && !value.endsWith("/");
                if (canonical) {
                    assertThat(canonicals)
                            .as("%s.%s", className, constant.getKey())
                            .contains(value);
                    checked.add(value);
                }
            }
        }
        assertThat(checked).as("canonical constants found").hasSizeGreaterThan(25);
    }

    @Test
    void everyGuideCodeTheServerMatchesIsAConceptOfItsCodeSystem() throws Exception {
        assertConcepts(GuideCodes.REMOVAL_SYSTEM, List.of(GuideCodes.REMOVAL_CODE));
        assertConcepts(
                GuideCodes.OBSERVATION_CODE_SYSTEM,
                List.of(GuideCodes.SCAI_STAGE_CODE, GuideCodes.VITAL_STATUS_CODE, GuideCodes.SUPPORT_OUTCOME_CODE));
        assertConcepts(GuideCodes.OBSERVATION_CATEGORY_SYSTEM, List.of(GuideCodes.TELEMETRY_CATEGORY_CODE));
        assertConcepts(GuideCodes.SUPPORT_END_SYSTEM, List.of(GuideCodes.DEATH_ON_SUPPORT));
        assertConcepts(GuideCodes.CONDITION_CATEGORY_SYSTEM, List.of(GuideCodes.COMPLICATION_CATEGORY_CODE));

        Class<?> figures = Class.forName("org.mcsfhir.server.outcomes.AuditFigures");
        assertConcepts(GuideCodes.SUPPORT_END_SYSTEM, (Collection<?>) constant(figures, "SUPPORT_END_REASONS"));
        assertConcepts(GuideCodes.BARC_SYSTEM, (Collection<?>) constant(figures, "BARC_TYPES"));
        // what the audit reports the guide's ConceptMaps into: complication types and the mapped strata
        String audit = GuideCodes.AUDIT_SYSTEM;
        assertConcepts(audit, (Collection<?>) constant(figures, "COMPLICATION_TYPES"));
        Map<?, ?> strata =
                (Map<?, ?>) constant(Class.forName("org.mcsfhir.server.outcomes.Stratification"), "STRATIFIERS");
        assertConcepts(audit, (Collection<?>) strata.get("access-site"));
        assertConcepts(audit, (Collection<?>) strata.get("aetiology"));
    }

    private static void assertConcepts(String system, Collection<?> codes) {
        assertThat(concepts).as("CodeSystem %s in the guide", system).containsKey(system);
        for (Object code : codes) {
            assertThat(concepts.get(system)).as("code %s in %s", code, system).contains(String.valueOf(code));
        }
    }

    private static Map<String, String> stringConstants(String className) throws Exception {
        Map<String, String> constants = new HashMap<>();
        for (Field field : Class.forName(className).getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                field.setAccessible(true);
                constants.put(field.getName(), (String) field.get(null));
            }
        }
        return constants;
    }

    private static Object constant(Class<?> owner, String name) throws Exception {
        Field field = owner.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(null);
    }

    private static void collect(List<ConceptDefinitionComponent> nested, Set<String> codes) {
        for (ConceptDefinitionComponent concept : nested) {
            codes.add(concept.getCode());
            collect(concept.getConcept(), codes);
        }
    }
}
