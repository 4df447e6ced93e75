package org.mcsfhir.server.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Measure;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.guide.GuideCodes;

/** The figures computed in code and the audit Measures published in the guide name the same groups and stratifiers. */
class AuditMeasuresMatchTheGuideTest {

    private static final Path GUIDE = Path.of("../profiles/src/main/fhir");

    @Test
    void everyComputedMeasureIsInTheGuideWithTheSameGroupsAndStratifiers() throws IOException {
        for (AuditFigures.AuditMeasure computed : AuditFigures.MEASURES) {
            Measure published = FhirContext.forR4Cached()
                    .newJsonParser()
                    .parseResource(
                            Measure.class, Files.readString(GUIDE.resolve("Measure-" + computed.id() + ".json")));
            assertThat(published.getUrl()).isEqualTo(GuideCodes.MEASURE_BASE + computed.id());
            List<String> groups = published.getGroup().stream()
                    .map(g -> g.getCode().getCodingFirstRep().getCode())
                    .toList();
            assertThat(groups)
                    .as(computed.id())
                    .containsExactlyElementsOf(computed.groups().stream()
                            .map(AuditFigures.Group::code)
                            .toList());
            for (Measure.MeasureGroupComponent group : published.getGroup()) {
                assertThat(group.getStratifier().stream()
                                .map(s -> s.getCode().getCodingFirstRep().getCode())
                                .toList())
                        .containsExactlyElementsOf(Stratification.STRATIFIERS.keySet());
            }
            String improvement = published.hasImprovementNotation()
                    ? published.getImprovementNotation().getCodingFirstRep().getCode()
                    : null;
            assertThat(improvement)
                    .as(computed.id() + " improvement notation")
                    .isEqualTo(computed.improvementNotation());
        }
    }
}
