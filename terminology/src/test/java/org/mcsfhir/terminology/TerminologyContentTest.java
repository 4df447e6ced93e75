package org.mcsfhir.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The terminology content agrees with itself: every local code used anywhere exists, with the same display. */
class TerminologyContentTest {

    private static final String LOCAL = "https://mcs-fhir.org/fhir/CodeSystem/";
    private static final Map<String, CodeSystem> codeSystems = new HashMap<>();
    private static final Map<String, ValueSet> valueSets = new HashMap<>();
    private static final Map<String, ConceptMap> conceptMaps = new HashMap<>();

    @BeforeAll
    static void load() throws IOException {
        IParser parser = FhirContext.forR4Cached().newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        try (Stream<Path> files = Files.list(Path.of("src/main/fhir"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                Resource resource = (Resource) parser.parseResource(Files.readString(file));
                assertThat(file.getFileName().toString())
                        .as("file name is <type>-<id>.json")
                        .isEqualTo(resource.fhirType() + "-"
                                + resource.getIdElement().getIdPart() + ".json");
                if (resource instanceof CodeSystem cs) {
                    codeSystems.put(cs.getUrl(), cs);
                } else if (resource instanceof ValueSet vs) {
                    valueSets.put(vs.getUrl(), vs);
                } else if (resource instanceof ConceptMap cm) {
                    conceptMaps.put(cm.getUrl(), cm);
                } else {
                    throw new AssertionError("unexpected resource in terminology: " + file);
                }
            }
        }
    }

    @Test
    void canonicalUrlsFollowTheNamingConvention() {
        codeSystems
                .values()
                .forEach(cs -> assertThat(cs.getUrl())
                        .isEqualTo(LOCAL + cs.getIdPart())
                        .endsWith("-cs"));
        valueSets
                .values()
                .forEach(vs -> assertThat(vs.getUrl())
                        .isEqualTo("https://mcs-fhir.org/fhir/ValueSet/" + vs.getIdPart())
                        .endsWith("-vs"));
        conceptMaps
                .values()
                .forEach(cm ->
                        assertThat(cm.getUrl()).isEqualTo("https://mcs-fhir.org/fhir/ConceptMap/" + cm.getIdPart()));
    }

    @Test
    void localCodeSystemsAreCompleteAndDefineEveryConcept() {
        assertThat(codeSystems).isNotEmpty();
        for (CodeSystem cs : codeSystems.values()) {
            assertThat(cs.getContent()).as(cs.getUrl()).isEqualTo(CodeSystem.CodeSystemContentMode.COMPLETE);
            assertThat(cs.getConcept()).as(cs.getUrl()).isNotEmpty();
            cs.getConcept().forEach(c -> {
                assertThat(c.getDisplay())
                        .as(cs.getUrl() + "#" + c.getCode() + " display")
                        .isNotBlank();
                assertThat(c.getDefinition())
                        .as(cs.getUrl() + "#" + c.getCode() + " definition")
                        .isNotBlank();
            });
        }
    }

    @Test
    void valueSetsOnlyUseLocalCodesThatExistWithTheirDisplay() {
        for (ValueSet vs : valueSets.values()) {
            assertThat(vs.getCompose().getInclude()).as(vs.getUrl()).isNotEmpty();
            for (ValueSet.ConceptSetComponent include : vs.getCompose().getInclude()) {
                include.getConcept()
                        .forEach(c -> assertThat(c.getDisplay())
                                .as(vs.getUrl() + " " + include.getSystem() + "#" + c.getCode() + " display")
                                .isNotBlank());
                if (include.getSystem() != null && include.getSystem().startsWith(LOCAL)) {
                    CodeSystem cs = codeSystems.get(include.getSystem());
                    assertThat(cs)
                            .as(vs.getUrl() + " includes unknown code system " + include.getSystem())
                            .isNotNull();
                    include.getConcept()
                            .forEach(c -> assertThat(displayOf(cs, c.getCode()))
                                    .as(vs.getUrl() + " " + c.getCode())
                                    .isEqualTo(c.getDisplay()));
                }
            }
        }
    }

    @Test
    void conceptMapSourcesThatAreLocalExist() {
        for (ConceptMap cm : conceptMaps.values()) {
            for (ConceptMap.ConceptMapGroupComponent group : cm.getGroup()) {
                assertThat(group.getElement()).as(cm.getUrl()).isNotEmpty();
                if (group.getSource() != null && group.getSource().startsWith(LOCAL)) {
                    CodeSystem cs = codeSystems.get(group.getSource());
                    assertThat(cs)
                            .as(cm.getUrl() + " maps from unknown " + group.getSource())
                            .isNotNull();
                    group.getElement()
                            .forEach(e -> assertThat(displayOf(cs, e.getCode()))
                                    .as(cm.getUrl() + " source code " + e.getCode())
                                    .isNotNull());
                }
            }
        }
    }

    @Test
    void conceptMapTargetsThatAreLocalExist() {
        for (ConceptMap cm : conceptMaps.values()) {
            for (ConceptMap.ConceptMapGroupComponent group : cm.getGroup()) {
                if (group.getTarget() == null || !group.getTarget().startsWith(LOCAL)) {
                    continue;
                }
                CodeSystem cs = codeSystems.get(group.getTarget());
                assertThat(cs)
                        .as(cm.getUrl() + " maps to unknown " + group.getTarget())
                        .isNotNull();
                group.getElement().stream()
                        .flatMap(e -> e.getTarget().stream())
                        .filter(ConceptMap.TargetElementComponent::hasCode)
                        .forEach(t -> assertThat(displayOf(cs, t.getCode()))
                                .as(cm.getUrl() + " target code " + t.getCode())
                                .isEqualTo(t.getDisplay()));
            }
        }
    }

    /** The audit's maps are read by system and code: each covers exactly its value set's (system, code) pairs. */
    @Test
    void auditMapsCoverTheirValueSetsBySystemAndCode() {
        Map<String, String> valueSetOfMap = Map.of(
                "mcs-complication-to-audit", "mcs-complication-vs",
                "mcs-access-site-to-audit", "mcs-access-site-vs",
                "mcs-shock-aetiology-to-audit", "mcs-shock-aetiology-vs");
        valueSetOfMap.forEach((mapId, valueSetId) -> {
            ConceptMap map = conceptMaps.get("https://mcs-fhir.org/fhir/ConceptMap/" + mapId);
            ValueSet valueSet = valueSets.get("https://mcs-fhir.org/fhir/ValueSet/" + valueSetId);
            assertThat(map).as(mapId).isNotNull();
            List<String> mapped = map.getGroup().stream()
                    .flatMap(g -> g.getElement().stream().map(e -> g.getSource() + "#" + e.getCode()))
                    .toList();
            List<String> listed = valueSet.getCompose().getInclude().stream()
                    .flatMap(i -> i.getConcept().stream().map(c -> i.getSystem() + "#" + c.getCode()))
                    .toList();
            assertThat(mapped).as(mapId).containsExactlyInAnyOrderElementsOf(listed);
        });
    }

    @Test
    void complicationMapCoversEveryHtg775Complication() {
        ConceptMap icd10 = conceptMaps.get("https://mcs-fhir.org/fhir/ConceptMap/mcs-complication-to-icd10");
        assertThat(icd10).isNotNull();
        ValueSet complications = valueSets.get("https://mcs-fhir.org/fhir/ValueSet/mcs-complication-vs");
        List<String> mapped = icd10.getGroup().stream()
                .flatMap(g -> g.getElement().stream())
                .map(ConceptMap.SourceElementComponent::getCode)
                .toList();
        List<String> listed = complications.getCompose().getInclude().stream()
                .flatMap(i -> i.getConcept().stream())
                .map(ValueSet.ConceptReferenceComponent::getCode)
                .toList();
        assertThat(mapped).containsAll(listed);
    }

    private static String displayOf(CodeSystem cs, String code) {
        return cs.getConcept().stream()
                .filter(c -> c.getCode().equals(code))
                .map(CodeSystem.ConceptDefinitionComponent::getDisplay)
                .findFirst()
                .orElse(null);
    }
}
