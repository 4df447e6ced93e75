package org.mcsfhir.server.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.cases.CaseRow;
import org.mcsfhir.server.cases.InsertionCase;
import org.mcsfhir.server.guide.GuideCodes;
import org.mcsfhir.server.guide.GuideInstaller;

/**
 * The complication types and the access-site and aetiology strata come from the guide's ConceptMaps as the server
 * loads them from the packaged guide, matched by system and code: every code of the three value sets (read from the
 * terminology JSON) maps as the Java tables did that the maps replaced (written out below as they were), and the same
 * code in another system maps to nothing, also through a case-table row built from resources.
 */
class StratumMapsTest {

    private static final Path TERMINOLOGY = Path.of("../terminology/src/main/fhir");
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final StratumMaps MAPS = StratumMaps.fromGuide(GuideInstaller.guidePackage(), FHIR);

    /** The former OutcomeCodes.COMPLICATION_TYPES: code → type (group code stem), in group order. */
    private static final Map<String, String> OLD_COMPLICATION_TYPES = ordered(
            "22253000", "pain",
            "131148009", "bleeding",
            "haemolysis", "haemolysis",
            "230690007", "stroke",
            "pump-failure", "pump-failure",
            "device-malfunction", "device-malfunction",
            "limb-ischaemia", "limb-ischaemia",
            "14669001", "acute-kidney-injury",
            "91302008", "sepsis",
            "cardiac-perforation", "cardiac-perforation",
            "vascular-access-complication", "vascular-access-complication",
            "aortic-valve-injury", "aortic-valve-injury",
            "439127006", "thrombosis");
    /** The former OutcomeCodes.AMI_CODES and NON_AMI_CODES. */
    private static final Set<String> OLD_AMI_CODES = Set.of("57054005", "401303003", "401314000");

    private static final Set<String> OLD_NON_AMI_CODES =
            Set.of("50920009", "acute-on-chronic-heart-failure", "post-cardiotomy", "other-aetiology");
    /** The former OutcomeCodes.ACCESS_SITES: code → stratum, in report order. */
    private static final Map<String, String> OLD_ACCESS_SITES = ordered(
            "7657000", "femoral",
            "67937003", "axillary",
            "36765005", "subclavian",
            "54247002", "direct-aortic",
            "64131007", "transcaval");

    private static final String OTHER_SYSTEM = "http://example.org/other";

    @Test
    void everyComplicationOfTheValueSetHasTheTypeTheOldTableGave() throws IOException {
        List<Coding> complications = valueSet("mcs-complication-vs");
        assertThat(complications)
                .extracting(Coding::getCode)
                .containsExactlyInAnyOrderElementsOf(OLD_COMPLICATION_TYPES.keySet());
        for (Coding code : complications) {
            assertThat(MAPS.complicationType(token(code)))
                    .as(token(code))
                    .isEqualTo("complication-" + OLD_COMPLICATION_TYPES.get(code.getCode()));
        }
    }

    @Test
    void everyAccessSiteOfTheValueSetHasTheStratumTheOldTableGave() throws IOException {
        List<Coding> sites = valueSet("mcs-access-site-vs");
        assertThat(sites).extracting(Coding::getCode).containsExactlyInAnyOrderElementsOf(OLD_ACCESS_SITES.keySet());
        for (Coding site : sites) {
            assertThat(MAPS.accessSite(token(site))).as(token(site)).isEqualTo(OLD_ACCESS_SITES.get(site.getCode()));
        }
    }

    @Test
    void everyAetiologyOfTheValueSetHasTheStratumTheOldTablesGave_cardiogenicShockItselfNone() throws IOException {
        List<Coding> reasons = valueSet("mcs-shock-aetiology-vs");
        assertThat(reasons).hasSize(OLD_AMI_CODES.size() + OLD_NON_AMI_CODES.size() + 1);
        for (Coding reason : reasons) {
            String expected = OLD_AMI_CODES.contains(reason.getCode())
                    ? Stratification.AMI
                    : OLD_NON_AMI_CODES.contains(reason.getCode()) ? Stratification.NON_AMI : null;
            assertThat(MAPS.aetiology(token(reason))).as(token(reason)).isEqualTo(expected);
        }
        assertThat(MAPS.aetiology(CaseRow.token(GuideCodes.SNOMED, "89138009"))).isNull();
    }

    @Test
    void theAuditReportsTheTypesAndAccessSitesInTheOldOrder_eachReachedByTheMap() throws IOException {
        assertThat(AuditFigures.COMPLICATION_TYPES)
                .containsExactlyElementsOf(OLD_COMPLICATION_TYPES.values().stream()
                        .map(type -> "complication-" + type)
                        .toList());
        assertThat(Stratification.STRATIFIERS.get(Stratification.ACCESS_SITE))
                .containsExactlyElementsOf(OLD_ACCESS_SITES.values());
        assertThat(mapped(valueSet("mcs-complication-vs"), MAPS::complicationType))
                .containsExactlyInAnyOrderElementsOf(AuditFigures.COMPLICATION_TYPES);
        assertThat(mapped(valueSet("mcs-access-site-vs"), MAPS::accessSite))
                .containsExactlyInAnyOrderElementsOf(Stratification.STRATIFIERS.get(Stratification.ACCESS_SITE));
        assertThat(mapped(valueSet("mcs-shock-aetiology-vs"), MAPS::aetiology))
                .containsExactlyInAnyOrderElementsOf(Stratification.STRATIFIERS.get(Stratification.AETIOLOGY));
    }

    @Test
    void aCodeOfTheRightValueInAnotherSystemOrWithoutOneMapsToNothing() {
        assertThat(MAPS.complicationType(CaseRow.token(GuideCodes.SNOMED, "131148009")))
                .isEqualTo("complication-bleeding");
        assertThat(MAPS.complicationType(CaseRow.token(GuideCodes.COMPLICATION_SYSTEM, "131148009")))
                .isNull();
        assertThat(MAPS.complicationType(CaseRow.token(GuideCodes.SNOMED, "haemolysis")))
                .isNull();
        assertThat(MAPS.complicationType(CaseRow.token(null, "131148009"))).isNull();
        assertThat(MAPS.complicationType(CaseRow.token(OTHER_SYSTEM, "haemolysis")))
                .isNull();
        assertThat(MAPS.accessSite(CaseRow.token(GuideCodes.LOINC, "7657000"))).isNull();
        assertThat(MAPS.accessSite(CaseRow.token(null, "7657000"))).isNull();
        assertThat(MAPS.aetiology(CaseRow.token(GuideCodes.SHOCK_AETIOLOGY_SYSTEM, "57054005")))
                .isNull();
        assertThat(MAPS.aetiology(CaseRow.token(GuideCodes.SNOMED, "post-cardiotomy")))
                .isNull();
        // the strata are not codes that map either
        assertThat(MAPS.accessSite(CaseRow.token(GuideCodes.AUDIT_SYSTEM, "femoral")))
                .isNull();
    }

    @Test
    void theCaseRowCarriesEachCodingsSystem_soTheAuditMatchesSystemAndCode() {
        AuditCase matched = audit(
                new Coding(GuideCodes.SNOMED, "67937003", null),
                List.of(
                        new Coding(GuideCodes.SNOMED, "89138009", null),
                        new Coding(GuideCodes.SHOCK_AETIOLOGY_SYSTEM, "post-cardiotomy", null)),
                new Coding(GuideCodes.COMPLICATION_SYSTEM, "pump-failure", null));
        assertThat(matched.strata())
                .containsEntry(Stratification.ACCESS_SITE, "axillary")
                .containsEntry(Stratification.AETIOLOGY, Stratification.NON_AMI);
        assertThat(matched.complications())
                .extracting(AuditCase.Complication::type)
                .containsExactly("complication-pump-failure");
        assertThat(matched.evidence()).contains("access-site", "aetiology");

        AuditCase otherSystems = audit(
                new Coding(OTHER_SYSTEM, "67937003", null),
                List.of(new Coding(GuideCodes.SNOMED, "post-cardiotomy", null), new Coding(null, "57054005", null)),
                new Coding(GuideCodes.SNOMED, "pump-failure", null));
        assertThat(otherSystems.strata())
                .containsEntry(Stratification.ACCESS_SITE, Stratification.NOT_RECORDED)
                .containsEntry(Stratification.AETIOLOGY, Stratification.NOT_RECORDED);
        assertThat(otherSystems.complications()).isEmpty();
        assertThat(otherSystems.evidence()).doesNotContain("access-site", "aetiology");
    }

    @Test
    void anAmiReasonOutranksAnotherAetiology() {
        AuditCase c = audit(
                new Coding(GuideCodes.SNOMED, "7657000", null),
                List.of(
                        new Coding(GuideCodes.SHOCK_AETIOLOGY_SYSTEM, "other-aetiology", null),
                        new Coding(GuideCodes.SNOMED, "401303003", null)),
                new Coding(GuideCodes.SNOMED, "131148009", null));
        assertThat(c.strata()).containsEntry(Stratification.AETIOLOGY, Stratification.AMI);
        assertThat(c.complications()).extracting(AuditCase.Complication::type).containsExactly(AuditFigures.BLEEDING);
    }

    /** An insertion with one access site, its reasons and one complication on day 3, through a case-table row. */
    private static AuditCase audit(Coding site, List<Coding> reasons, Coding complicationCode) {
        Procedure insertion = new Procedure();
        insertion.setId("i1");
        insertion.setStatus(Procedure.ProcedureStatus.COMPLETED);
        insertion.setPerformed(new DateTimeType("2026-03-01T10:00:00Z"));
        insertion.addBodySite().addCoding(site);
        CodeableConcept reasonCode = insertion.addReasonCode();
        reasons.forEach(reasonCode::addCoding);
        Condition complication = new Condition();
        complication.setId("x1");
        complication.setCode(new CodeableConcept().addCoding(complicationCode));
        complication.setOnset(new DateTimeType("2026-03-04T08:00:00Z"));
        InsertionCase c = new InsertionCase(
                insertion,
                Instant.parse("2026-03-01T10:00:00Z"),
                null,
                null,
                "Organization/c1",
                null,
                List.of(),
                List.of(),
                List.of(),
                List.of(complication),
                List.of());
        return CaseBuilder.build(
                CaseRow.of(c),
                LocalDate.parse("2026-06-30"),
                new OutcomeAuditProperties(5, Duration.ofDays(7), Duration.ofHours(24)),
                MAPS);
    }

    /** The value set's codes with their systems, from the terminology module's JSON. */
    private static List<Coding> valueSet(String id) throws IOException {
        ValueSet valueSet = FHIR.newJsonParser()
                .parseResource(ValueSet.class, Files.readString(TERMINOLOGY.resolve("ValueSet-" + id + ".json")));
        return valueSet.getCompose().getInclude().stream()
                .flatMap(include -> include.getConcept().stream()
                        .map(concept -> new Coding(include.getSystem(), concept.getCode(), null)))
                .toList();
    }

    private static Set<String> mapped(List<Coding> codes, Function<String, String> map) {
        Set<String> targets = new TreeSet<>();
        codes.stream().map(c -> map.apply(token(c))).filter(Objects::nonNull).forEach(targets::add);
        return targets;
    }

    private static String token(Coding coding) {
        return CaseRow.token(coding.getSystem(), coding.getCode());
    }

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
