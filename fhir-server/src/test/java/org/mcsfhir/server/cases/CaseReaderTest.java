package org.mcsfhir.server.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.guide.GuideCodes;

/** The one reader of a pump-insertion case, on the cross-centre scenario and a few dated records, without a server. */
class CaseReaderTest {

    private static InsertionCase read(InMemoryDaos daos, String insertionId) {
        CaseStore store = new CaseStore(daos);
        return new CaseReader(store).read(store.read(Procedure.class, new Reference("Procedure/" + insertionId)));
    }

    private static List<String> refs(List<? extends Resource> resources) {
        return resources.stream().map(CaseReferences::refOf).toList();
    }

    @Nested
    class OnlyThePatientsEvidence {

        private final InMemoryDaos daos = CrossCentreCase.daos();

        @Test
        void anotherPatientsRecordsThatPointAtTheInsertion_areNotPartOfTheCase() {
            InsertionCase i2 = read(daos, "i2");

            assertThat(i2.patientRef()).isEqualTo(CrossCentreCase.P2);
            assertThat(refs(i2.consents())).containsExactly("Consent/c2");
            assertThat(i2.removals()).isEmpty();
            assertThat(i2.outcomes()).isEmpty();
            assertThat(refs(i2.complications())).containsExactly("Condition/x2");
            assertThat(i2.pump().getIdElement().getIdPart()).isEqualTo("d2");
        }

        @Test
        void theCentreIsThePatientsWhateverThePerformerSays() {
            assertThat(read(daos, "i2").centreRef()).isEqualTo(CrossCentreCase.B);
            assertThat(read(daos, "i1").centreRef()).isEqualTo(CrossCentreCase.A);
        }

        @Test
        void anotherPatientsConsentComplicationAndPumpNamedByTheInsertion_areLeftOut() {
            InsertionCase i1 = read(daos, "i1");
            InsertionCase i3 = read(daos, "i3");

            assertThat(i1.consents()).isEmpty();
            assertThat(i1.consent()).isNull();
            assertThat(i1.complications()).isEmpty();
            assertThat(i1.pump().getIdElement().getIdPart()).isEqualTo("d1");
            assertThat(i3.pump()).as("P2's pump named by P1's insertion").isNull();
        }
    }

    @Nested
    class TheStart {

        @Test
        void isComputedOnceFromThePerformedPeriod_orTheDateTime() {
            assertThat(read(CrossCentreCase.daos(), "i2").start()).isEqualTo(CrossCentreCase.T0);

            Procedure byDateTime = insertion("i9", new DateTimeType("2024-03-05T23:30:00+00:00"));
            InsertionCase found = read(daosWith(byDateTime), "i9");
            assertThat(found.start()).isEqualTo(Instant.parse("2024-03-05T23:30:00Z"));
            assertThat(found.startDate()).isEqualTo(LocalDate.of(2024, 3, 5));
        }

        @Test
        void aDateOnlyStartIsThatCalendarDay() {
            InsertionCase found = read(daosWith(insertion("i9", new DateTimeType("2024-03-05"))), "i9");
            assertThat(found.startDate()).isEqualTo(LocalDate.of(2024, 3, 5));
        }

        @Test
        void complicationsBelongToThePatientsLatestInsertionStartedByTheirOnsetDay() {
            Instant t0 = CrossCentreCase.T0;
            Condition before = complication("before", t0.minusSeconds(2 * 86_400L));
            Condition sameDay = complication("same-day", t0.minusSeconds(3600));
            Condition later = complication("later", t0.plusSeconds(40 * 86_400L));
            Procedure first = insertion("i9", new DateTimeType(Date.from(t0)));
            Procedure second = insertion("i10", new DateTimeType(Date.from(t0.plusSeconds(30 * 86_400L))));
            InMemoryDaos daos = daosWith(first, second, before, sameDay, later);

            assertThat(refs(read(daos, "i9").complications())).containsExactly("Condition/same-day");
            assertThat(refs(read(daos, "i10").complications())).containsExactly("Condition/later");
        }

        @Test
        void aComplicationListedByAnInsertionIsThatInsertions() {
            Instant t0 = CrossCentreCase.T0;
            Procedure first = insertion("i9", new DateTimeType(Date.from(t0)));
            first.addComplicationDetail(new Reference("Condition/listed"));
            Procedure second = insertion("i10", new DateTimeType(Date.from(t0.plusSeconds(30 * 86_400L))));
            InMemoryDaos daos = daosWith(first, second, complication("listed", t0.plusSeconds(40 * 86_400L)));

            assertThat(refs(read(daos, "i9").complications())).containsExactly("Condition/listed");
            assertThat(read(daos, "i10").complications()).isEmpty();
        }
    }

    @Test
    void aCohortIsReadAtOnce_andNarrowedToTheCentreOfItsPatients() {
        InMemoryDaos daos = CrossCentreCase.daos();
        CaseStore store = new CaseStore(daos, 1);
        List<Procedure> insertions = List.of("i1", "i2", "i3").stream()
                .map(id -> store.read(Procedure.class, new Reference("Procedure/" + id)))
                .toList();

        List<InsertionCase> all = new CaseReader(store).readAll(insertions, null);
        List<InsertionCase> ofA = new CaseReader(store).readAll(insertions, CrossCentreCase.A);

        assertThat(all).extracting(InsertionCase::id).containsExactly("i1", "i2", "i3");
        assertThat(refs(all.get(1).consents()))
                .as("same as read alone")
                .isEqualTo(refs(read(daos, "i2").consents()));
        assertThat(ofA).extracting(InsertionCase::id).containsExactly("i1", "i3");
    }

    @Test
    void anEnteredInErrorInsertionIsNotRecorded() {
        Procedure insertion = insertion("i9", new DateTimeType("2024-03-05"));
        insertion.setStatus(Procedure.ProcedureStatus.ENTEREDINERROR);

        assertThat(read(daosWith(insertion), "i9").recorded()).isFalse();
        assertThat(read(CrossCentreCase.daos(), "i2").recorded()).isTrue();
    }

    private static InMemoryDaos daosWith(Resource... more) {
        List<Resource> resources = new ArrayList<>(CrossCentreCase.resources());
        resources.addAll(List.of(more));
        return new InMemoryDaos(resources.toArray(Resource[]::new));
    }

    private static Procedure insertion(String id, Type performed) {
        Procedure procedure = new Procedure();
        procedure.setId(id);
        procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
        procedure.getCode().addCoding(new Coding(GuideCodes.SNOMED, GuideCodes.INSERTION_CODE, null));
        procedure.setSubject(new Reference(CrossCentreCase.P1));
        procedure.addFocalDevice().setManipulated(new Reference("Device/d1"));
        if (performed != null) {
            procedure.setPerformed(performed);
        }
        return procedure;
    }

    private static Condition complication(String id, Instant onset) {
        Condition condition = new Condition();
        condition.setId(id);
        condition.addCategory(
                new CodeableConcept(new Coding(GuideCodes.CONDITION_CATEGORY_SYSTEM, "complication", null)));
        condition.getCode().addCoding(new Coding(GuideCodes.SNOMED, "131148009", "Bleeding"));
        condition.setSubject(new Reference(CrossCentreCase.P1));
        return condition.setOnset(new DateTimeType(Date.from(onset)));
    }
}
