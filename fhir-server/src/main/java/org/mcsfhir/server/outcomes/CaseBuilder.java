package org.mcsfhir.server.outcomes;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.mcsfhir.server.cases.CaseDates;
import org.mcsfhir.server.cases.CaseRow;
import org.mcsfhir.server.guide.GuideCodes;

/**
 * Turns one case-table row ({@link CaseRow}: the insertion's case as plain values, kept current on write) into an
 * {@link AuditCase}: strata, time to death or censoring, complications, how support ended, QoL scores and which
 * evidence items are present. Evidence dated after the reference date is ignored, so an audit "as of" a past date
 * gives what was known by then. Access site, aetiology and complication type are what the guide's ConceptMaps map
 * the row's {@code system#code} tokens to ({@link StratumMaps}); the other codes are those of the guide's own code
 * systems, each recognised by its code.
 */
final class CaseBuilder {

    private final CaseRow row;
    private final StratumMaps maps;
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
    /** When the support outcome that set {@link #supportEnd} was made, as written; read only to compare two. */
    private String supportEndEffective;

    private CaseBuilder(CaseRow row, LocalDate referenceDate, StratumMaps maps) {
        this.row = row;
        this.maps = maps;
        this.t0 = RowDates.utcDate(row.startDay());
        this.start = Instant.ofEpochMilli(row.startAt());
        this.referenceDate = referenceDate;
    }

    /** The audit's view of one recorded, started insertion's row as of the reference date. */
    static AuditCase build(CaseRow row, LocalDate referenceDate, OutcomeAuditProperties properties, StratumMaps maps) {
        CaseBuilder builder = new CaseBuilder(row, referenceDate, maps);
        builder.insertion();
        builder.outcomes();
        builder.removals(); // after the outcomes: a support outcome observation outranks the removal's reason
        builder.selection(properties);
        builder.complications();
        return builder.result();
    }

    private void insertion() {
        strata.put(Stratification.SEX, row.sex() == null ? Stratification.NOT_RECORDED : row.sex());
        strata.put(Stratification.AGE_BAND, ageBand());
        strata.put(Stratification.PREGNANCY, Stratification.NOT_RECORDED);
        strata.put(
                Stratification.DEVICE_MODEL,
                row.deviceModel() == null ? Stratification.NOT_RECORDED : row.deviceModel());
        strata.put(Stratification.ACCESS_SITE, accessSite());
        strata.put(Stratification.CENTRE, row.centre() == null ? Stratification.NOT_RECORDED : row.centre());
        strata.put(Stratification.SCAI_STAGE, Stratification.NOT_RECORDED);
        strata.put(Stratification.AETIOLOGY, aetiology());
        if (row.consentId() != null) {
            evidence.add("consent");
        }
        if (row.pumpId() != null) {
            evidence.add("device");
        }
        if (!Stratification.NOT_RECORDED.equals(strata.get(Stratification.ACCESS_SITE))) {
            evidence.add("access-site");
        }
        if (!Stratification.NOT_RECORDED.equals(strata.get(Stratification.AETIOLOGY))) {
            evidence.add("aetiology");
        }
        if (row.deceased() != null && !"true".equals(row.deceased()) && !"false".equals(row.deceased())) {
            death(RowDates.utcDate(row.deceased()));
        }
    }

    /** Vital status, support outcome and QoL: {@code id|status|code|effective|value|point} items. */
    private void outcomes() {
        for (String[] item : CaseRow.items(row.outcomes(), 6)) {
            LocalDate date = RowDates.utcDate(item[3]);
            if (!usable(item[1]) || date == null || date.isAfter(referenceDate)) {
                continue;
            }
            int day = CaseDates.daysBetween(t0, date);
            Set<String> codes = codes(item[2]);
            String point = item[5].isEmpty() ? null : item[5];
            if (codes.contains(GuideCodes.VITAL_STATUS_CODE)) {
                vitalStatus(codes(item[4]), day, point);
            } else if (codes.contains(GuideCodes.SUPPORT_OUTCOME_CODE)) {
                supportOutcome(first(item[4], AuditFigures.SUPPORT_END_REASONS), item[3], date, day);
            } else if (codes.contains(GuideCodes.EQ5D_INDEX) || codes.contains(GuideCodes.EQ_VAS)) {
                Double score = number(item[4]);
                if (score != null) {
                    qualityOfLife(codes.contains(GuideCodes.EQ5D_INDEX) ? "eq5d-index" : "eq-vas", point, score, day);
                }
            }
        }
    }

    private void vitalStatus(Set<String> value, int day, String point) {
        Integer pointDay = point == null ? null : AuditFigures.FOLLOW_UP_DAYS.get(point);
        if (value.contains(GuideCodes.ALIVE)) {
            // "alive at 30 days" means alive at day 30 even when the check was done a day or two early
            alive(pointDay == null ? day : Math.max(day, pointDay));
        } else if (value.contains(GuideCodes.DEAD)) {
            // "dead at 30 days" recorded later still means a death by day 30
            deathDays.add(pointDay == null ? day : Math.min(day, pointDay));
        } else {
            return;
        }
        if (pointDay != null) {
            evidence.add("vital-status-" + point);
        }
    }

    private void supportOutcome(String reason, String effective, LocalDate date, int day) {
        // the latest support outcome wins (a correction is a newer observation)
        if (reason != null && (supportEndEffective == null || later(effective, supportEndEffective))) {
            supportEnd = reason;
            supportEndEffective = effective;
        }
        if (GuideCodes.DEATH_ON_SUPPORT.equals(reason)) {
            death(date);
        } else {
            alive(day);
        }
    }

    /** Whether {@code effective} is after {@code than} (a time that cannot be read counts as the epoch). */
    private static boolean later(String effective, String than) {
        Instant at = RowDates.instant(effective);
        Instant previous = RowDates.instant(than);
        return at != null && at.isAfter(previous == null ? Instant.EPOCH : previous);
    }

    private void qualityOfLife(String measure, String point, double score, int day) {
        alive(day);
        evidence.add("quality-of-life");
        if (point != null) {
            // one score per measure and point: the first found
            qualityOfLife.putIfAbsent(measure + "|" + point, score);
        }
    }

    /** The first removal that happened, {@code id|status|performed|reason} items: how and when support ended. */
    private void removals() {
        String[] first = null;
        LocalDate firstDate = null;
        for (String[] item : CaseRow.items(row.removals(), 4)) {
            LocalDate performed = RowDates.utcDate(item[2]);
            if (!"enteredinerror".equals(item[1])
                    && performed != null
                    && !performed.isAfter(referenceDate)
                    && (firstDate == null || performed.isBefore(firstDate))) {
                first = item;
                firstDate = performed;
            }
        }
        if (first == null) {
            return;
        }
        String reason = first(first[3], AuditFigures.SUPPORT_END_REASONS);
        if (supportEnd == null && reason != null) {
            supportEnd = reason; // the support outcome observation, when there is one, takes precedence
        }
        if (GuideCodes.DEATH_ON_SUPPORT.equals(reason)) {
            death(firstDate);
        } else {
            alive(CaseDates.daysBetween(t0, firstDate));
        }
    }

    /** SCAI stage and pregnancy status, the latest in the window around the start: {@code id|status|code|…} items. */
    private void selection(OutcomeAuditProperties properties) {
        Instant from = start.minus(properties.selectionWindowBefore());
        Instant to = start.plus(properties.selectionWindowAfter());
        String[] scai = null;
        String[] pregnancy = null;
        Instant scaiAt = null;
        Instant pregnancyAt = null;
        for (String[] item : CaseRow.items(row.selection(), 5)) {
            Instant at = RowDates.instant(item[3]);
            if (!usable(item[1]) || at == null || at.isBefore(from) || at.isAfter(to)) {
                continue;
            }
            if (codes(item[2]).contains(GuideCodes.SCAI_STAGE_CODE)) {
                if (scaiAt == null || at.isAfter(scaiAt)) {
                    scai = item;
                    scaiAt = at;
                }
            } else if (pregnancyAt == null || at.isAfter(pregnancyAt)) {
                pregnancy = item;
                pregnancyAt = at;
            }
        }
        String stage = scai == null ? null : first(scai[4], Stratification.STRATIFIERS.get(Stratification.SCAI_STAGE));
        if (stage != null) {
            strata.put(Stratification.SCAI_STAGE, stage);
            evidence.add("scai-stage");
        }
        String status = pregnancy == null ? null : Stratification.pregnancyStratum(concept(pregnancy[4]));
        if (status != null) {
            strata.put(Stratification.PREGNANCY, status);
            evidence.add("pregnancy-status");
        }
    }

    /** Confirmed complications: {@code id|verification|code|onset|barc} items, the code as tokens. */
    private void complications() {
        for (String[] item : CaseRow.items(row.complications(), 5)) {
            Set<String> verification = codes(item[1]);
            LocalDate onset = RowDates.utcDate(item[3]);
            if (verification.contains("entered-in-error")
                    || verification.contains("refuted")
                    || onset == null
                    || onset.isAfter(referenceDate)) {
                continue;
            }
            String type = firstMapped(item[2], maps::complicationType);
            if (type == null) {
                continue;
            }
            int day = CaseDates.daysBetween(t0, onset);
            complications.add(new AuditCase.Complication(type, day, first(item[4], AuditFigures.BARC_TYPES)));
            alive(day);
        }
    }

    private AuditCase result() {
        int dueDays = Math.max(0, CaseDates.daysBetween(t0, referenceDate));
        Integer deathDay = deathDays.stream().min(Integer::compare).orElse(null);
        if (deathDay == null && "true".equals(row.deceased())) {
            deathDay = lastKnownAlive; // dead, date unknown: the last day known alive is the best estimate
        }
        if (deathDay != null) {
            deathDay = Math.max(0, deathDay);
        }
        if (supportEnd != null) {
            evidence.add("support-outcome");
        }
        for (var point : AuditFigures.FOLLOW_UP_DAYS.entrySet()) {
            if (deathDay != null && deathDay <= point.getValue()) {
                evidence.add("vital-status-" + point.getKey()); // a known death answers the later follow-ups
            }
        }
        return new AuditCase(
                row.insertionId(),
                row.centre(),
                t0,
                Map.copyOf(strata),
                deathDay,
                lastKnownAlive,
                dueDays,
                List.copyOf(complications),
                supportEnd,
                Map.copyOf(qualityOfLife),
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

    private String ageBand() {
        LocalDate birth = RowDates.utcDate(row.birthDate());
        return birth == null
                ? Stratification.NOT_RECORDED
                : Stratification.ageBand(Period.between(birth, t0).getYears());
    }

    private String accessSite() {
        String site = firstMapped(row.accessSites(), maps::accessSite);
        return site == null ? Stratification.NOT_RECORDED : site;
    }

    /** AMI when any reason maps to it, else non-AMI when any maps to that. */
    private String aetiology() {
        Set<String> strata = new TreeSet<>();
        for (String token : codes(row.reasons())) {
            String stratum = maps.aetiology(token);
            if (stratum != null) {
                strata.add(stratum);
            }
        }
        if (strata.contains(Stratification.AMI)) {
            return Stratification.AMI;
        }
        return strata.contains(Stratification.NON_AMI) ? Stratification.NON_AMI : Stratification.NOT_RECORDED;
    }

    /** Entered-in-error and cancelled observations say nothing. */
    private static boolean usable(String status) {
        return !"enteredinerror".equals(status) && !"cancelled".equals(status);
    }

    /** A row's code or token list ({@code ,}-joined), sorted. */
    private static Set<String> codes(String joined) {
        return joined == null || joined.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(joined.split(",")));
    }

    /** The first of the row's codes that the value set knows, or null. */
    private static String first(String joined, Collection<String> known) {
        for (String code : codes(joined)) {
            if (known.contains(code)) {
                return code;
            }
        }
        return null;
    }

    /** What the first of the row's tokens that the map knows maps to, or null. */
    private static String firstMapped(String joined, Function<String, String> map) {
        for (String token : codes(joined)) {
            String mapped = map.apply(token);
            if (mapped != null) {
                return mapped;
            }
        }
        return null;
    }

    private static Double number(String value) {
        try {
            return value == null || value.isEmpty() ? null : Double.valueOf(value);
        } catch (NumberFormatException e) {
            return null; // a coded value, not a score
        }
    }

    private static CodeableConcept concept(String joined) {
        CodeableConcept concept = new CodeableConcept();
        codes(joined).forEach(code -> concept.addCoding().setCode(code));
        return concept;
    }
}
