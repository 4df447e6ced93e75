package org.mcsfhir.server.outcomes;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.mcsfhir.server.cases.CaseCodes;
import org.mcsfhir.server.cases.CaseDates;
import org.mcsfhir.server.cases.InsertionCase;

/**
 * Turns one insertion and the evidence found for it into an {@link AuditCase}: strata, time to death or censoring,
 * complications, how support ended, QoL scores and which evidence items are present. Evidence dated after the
 * reference date is ignored, so an audit "as of" a past date gives what was known by then.
 */
final class CaseBuilder {

    private final Procedure insertion;
    private final Patient patient;
    private final LocalDate t0;
    private final Instant start;
    private final LocalDate referenceDate;
    private final Map<String, String> strata = new LinkedHashMap<>();
    private final Set<String> evidence = new TreeSet<>();
    private final List<AuditCase.Complication> complications = new ArrayList<>();
    private final Map<String, Double> qualityOfLife = new HashMap<>();
    private final List<Integer> deathDays = new ArrayList<>();
    private int lastKnownAlive = 0;
    private String supportEnd;
    private Instant supportEndAt;
    private final String centre;

    CaseBuilder(InsertionCase found, LocalDate referenceDate) {
        this.insertion = found.insertion();
        this.patient = found.patient();
        this.t0 = found.startDate();
        this.start = found.start();
        this.referenceDate = referenceDate;
        this.centre = found.centreRef();
        Device device = found.pump();
        boolean consent = found.consent() != null;

        strata.put(Stratification.SEX, patient == null || !patient.hasGender()
                ? Stratification.NOT_RECORDED : patient.getGender().toCode());
        strata.put(Stratification.AGE_BAND, ageBand());
        strata.put(Stratification.PREGNANCY, Stratification.NOT_RECORDED);
        strata.put(Stratification.DEVICE_MODEL, deviceModel(device));
        strata.put(Stratification.ACCESS_SITE, accessSite());
        strata.put(Stratification.CENTRE, centre == null ? Stratification.NOT_RECORDED : centre);
        strata.put(Stratification.SCAI_STAGE, Stratification.NOT_RECORDED);
        strata.put(Stratification.AETIOLOGY, aetiology());

        if (consent) {
            evidence.add("consent");
        }
        if (device != null) {
            evidence.add("device");
        }
        if (!Stratification.NOT_RECORDED.equals(strata.get(Stratification.ACCESS_SITE))) {
            evidence.add("access-site");
        }
        if (!Stratification.NOT_RECORDED.equals(strata.get(Stratification.AETIOLOGY))) {
            evidence.add("aetiology");
        }
        if (patient != null && patient.hasDeceasedDateTimeType()) {
            death(CaseDates.utcDate(patient.getDeceasedDateTimeType()));
        }
    }

    CaseBuilder outcomes(List<Observation> observations) {
        for (Observation o : observations) {
            LocalDate date = CaseDates.effectiveDate(o);
            if (date == null || date.isAfter(referenceDate)) {
                continue;
            }
            int day = CaseDates.daysBetween(t0, date);
            String point = CaseCodes.followUpPoint(o);
            String code = CaseCodes.codeIn(o.getCode(), OutcomeCodes.OBSERVATION_CODE_SYSTEM);
            String snomed = CaseCodes.codeIn(o.getCode(), OutcomeCodes.SNOMED);
            if (OutcomeCodes.VITAL_STATUS.equals(code)) {
                vitalStatus(o, day, point);
            } else if (OutcomeCodes.SUPPORT_OUTCOME.equals(code)) {
                String reason = CaseCodes.codeIn(o.getValueCodeableConcept(), OutcomeCodes.SUPPORT_END_SYSTEM);
                Instant at = effectiveInstant(o);
                // the latest support outcome wins (a correction is a newer observation)
                if (reason != null && (supportEndAt == null || (at != null && at.isAfter(supportEndAt)))) {
                    supportEnd = reason;
                    supportEndAt = at == null ? Instant.EPOCH : at;
                }
                if (OutcomeCodes.DEATH_ON_SUPPORT.equals(reason)) {
                    death(date);
                } else {
                    alive(day);
                }
            } else if ((OutcomeCodes.EQ5D_INDEX.equals(snomed) || OutcomeCodes.EQ_VAS.equals(snomed))
                    && o.hasValueQuantity() && o.getValueQuantity().hasValue()) {
                alive(day);
                evidence.add("quality-of-life");
                if (point != null) {
                    String measure = OutcomeCodes.EQ5D_INDEX.equals(snomed) ? "eq5d-index" : "eq-vas";
                    qualityOfLife.merge(measure + "|" + point, o.getValueQuantity().getValue().doubleValue(),
                            (first, second) -> first); // one score per measure and point: the first found
                }
            }
        }
        return this;
    }

    private void vitalStatus(Observation o, int day, String point) {
        Integer pointDay = point == null ? null : OutcomeCodes.FOLLOW_UP_DAYS.get(point);
        CodeableConcept value = o.hasValueCodeableConcept() ? o.getValueCodeableConcept() : null;
        if (CaseCodes.hasCode(value, OutcomeCodes.ALIVE)) {
            // "alive at 30 days" means alive at day 30 even when the check was done a day or two early
            alive(pointDay == null ? day : Math.max(day, pointDay));
            if (pointDay != null) {
                evidence.add("vital-status-" + point);
            }
        } else if (CaseCodes.hasCode(value, OutcomeCodes.DEAD)) {
            // "dead at 30 days" recorded later still means a death by day 30
            deathDays.add(pointDay == null ? day : Math.min(day, pointDay));
            if (pointDay != null) {
                evidence.add("vital-status-" + point);
            }
        }
    }

    CaseBuilder removals(List<Procedure> removals) {
        Procedure first = removals.stream()
                .filter(r -> r.getStatus() != Procedure.ProcedureStatus.ENTEREDINERROR)
                .filter(r -> performed(r) != null && !performed(r).isAfter(referenceDate))
                .min(Comparator.comparing(CaseBuilder::performed)).orElse(null);
        if (first != null) {
            String reason = first.getReasonCode().stream()
                    .map(rc -> CaseCodes.codeIn(rc, OutcomeCodes.SUPPORT_END_SYSTEM))
                    .filter(c -> c != null).findFirst().orElse(null);
            if (supportEnd == null && reason != null) {
                supportEnd = reason; // the support outcome observation, when there is one, takes precedence
            }
            if (OutcomeCodes.DEATH_ON_SUPPORT.equals(reason)) {
                death(performed(first));
            } else {
                alive(CaseDates.daysBetween(t0, performed(first)));
            }
        }
        return this;
    }

    CaseBuilder selection(List<Observation> observations, OutcomeAuditProperties properties) {
        Instant from = start.minus(properties.selectionWindowBefore());
        Instant to = start.plus(properties.selectionWindowAfter());
        Observation scai = null;
        Observation pregnancy = null;
        for (Observation o : observations) {
            Instant at = effectiveInstant(o);
            if (at == null || at.isBefore(from) || at.isAfter(to)) {
                continue;
            }
            if (CaseCodes.codeIn(o.getCode(), OutcomeCodes.OBSERVATION_CODE_SYSTEM) != null) {
                scai = later(scai, o);
            } else {
                pregnancy = later(pregnancy, o);
            }
        }
        if (scai != null) {
            String stage = CaseCodes.codeIn(scai.getValueCodeableConcept(), OutcomeCodes.SCAI_SYSTEM);
            if (stage != null) {
                strata.put(Stratification.SCAI_STAGE, stage);
                evidence.add("scai-stage");
            }
        }
        if (pregnancy != null && pregnancy.hasValueCodeableConcept()) {
            String status = Stratification.pregnancyStratum(pregnancy.getValueCodeableConcept());
            if (status != null) {
                strata.put(Stratification.PREGNANCY, status);
                evidence.add("pregnancy-status");
            }
        }
        return this;
    }

    CaseBuilder complications(List<Condition> conditions) {
        for (Condition c : conditions) {
            LocalDate onset = CaseDates.utcDate(CaseDates.onset(c));
            if (onset == null || onset.isAfter(referenceDate)) {
                continue;
            }
            String type = null;
            for (Coding coding : c.getCode().getCoding()) {
                boolean known = OutcomeCodes.SNOMED.equals(coding.getSystem())
                        || OutcomeCodes.COMPLICATION_SYSTEM.equals(coding.getSystem());
                if (known && OutcomeCodes.COMPLICATION_TYPES.containsKey(coding.getCode())) {
                    type = OutcomeCodes.COMPLICATION_TYPES.get(coding.getCode());
                    break;
                }
            }
            if (type == null) {
                continue;
            }
            String barc = c.getStage().stream()
                    .map(s -> CaseCodes.codeIn(s.getSummary(), OutcomeCodes.BARC_SYSTEM))
                    .filter(b -> b != null).findFirst().orElse(null);
            int day = CaseDates.daysBetween(t0, onset);
            complications.add(new AuditCase.Complication(type, day, barc));
            alive(day);
        }
        return this;
    }

    AuditCase build() {
        int dueDays = Math.max(0, CaseDates.daysBetween(t0, referenceDate));
        Integer deathDay = deathDays.stream().min(Integer::compare).orElse(null);
        if (deathDay == null && patient != null && patient.hasDeceasedBooleanType()
                && patient.getDeceasedBooleanType().booleanValue()) {
            deathDay = lastKnownAlive; // dead, date unknown: the last day known alive is the best estimate
        }
        if (deathDay != null) {
            deathDay = Math.max(0, deathDay);
        }
        if (supportEnd != null) {
            evidence.add("support-outcome");
        }
        for (var point : OutcomeCodes.FOLLOW_UP_DAYS.entrySet()) {
            if (deathDay != null && deathDay <= point.getValue()) {
                evidence.add("vital-status-" + point.getKey()); // a known death answers the later follow-ups
            }
        }
        return new AuditCase(insertion.getIdElement().getIdPart(), centre, t0, Map.copyOf(strata), deathDay,
                lastKnownAlive, dueDays, List.copyOf(complications), supportEnd, Map.copyOf(qualityOfLife),
                Set.copyOf(evidence));
    }

    private void alive(int day) {
        lastKnownAlive = Math.max(lastKnownAlive, day);
    }

    private void death(LocalDate date) {
        if (date != null && !date.isAfter(referenceDate)) {
            deathDays.add(CaseDates.daysBetween(t0, date));
        }
    }

    private static Instant effectiveInstant(Observation o) {
        return CaseDates.instant(CaseDates.effective(o));
    }

    private static Observation later(Observation current, Observation candidate) {
        if (current == null) {
            return candidate;
        }
        return effectiveInstant(candidate).isAfter(effectiveInstant(current))
                ? candidate : current;
    }

    private static LocalDate performed(Procedure p) {
        return CaseDates.utcDate(CaseDates.performed(p));
    }

    private String ageBand() {
        if (patient == null || !patient.hasBirthDate()) {
            return Stratification.NOT_RECORDED;
        }
        LocalDate birth = CaseDates.utcDate(patient.getBirthDateElement());
        return Stratification.ageBand(Period.between(birth, t0).getYears());
    }

    private static String deviceModel(Device device) {
        if (device == null || !device.hasDeviceName()) {
            return Stratification.NOT_RECORDED;
        }
        return device.getDeviceName().stream()
                .filter(n -> n.getType() == Device.DeviceNameType.MODELNAME)
                .findFirst().orElse(device.getDeviceNameFirstRep()).getName();
    }

    private String accessSite() {
        for (CodeableConcept site : insertion.getBodySite()) {
            String code = CaseCodes.codeIn(site, OutcomeCodes.SNOMED);
            if (code != null && OutcomeCodes.ACCESS_SITES.containsKey(code)) {
                return OutcomeCodes.ACCESS_SITES.get(code);
            }
        }
        return Stratification.NOT_RECORDED;
    }

    private String aetiology() {
        boolean nonAmi = false;
        for (CodeableConcept reason : insertion.getReasonCode()) {
            for (Coding coding : reason.getCoding()) {
                if (OutcomeCodes.AMI_CODES.contains(coding.getCode())) {
                    return Stratification.AMI;
                }
                nonAmi |= OutcomeCodes.NON_AMI_CODES.contains(coding.getCode());
            }
        }
        return nonAmi ? Stratification.NON_AMI : Stratification.NOT_RECORDED;
    }
}
