package org.mcsfhir.server.cases;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;

/**
 * The case model's one reading of FHIR dates: when a procedure started, an observation was made, a condition began,
 * as an instant and as a UTC calendar day. Every feature that counts days from an insertion asks here, so "day 30"
 * means the same in the registry case, the worklist and the audit.
 */
public final class CaseDates {

    private CaseDates() {}

    /**
     * The UTC calendar date of a FHIR date or dateTime; a date-only value is that date (not midnight in the server's
     * time zone), a year or month is its first day. Null when absent.
     */
    public static LocalDate utcDate(BaseDateTimeType value) {
        if (value == null || value.getValue() == null) {
            return null;
        }
        TemporalPrecisionEnum precision = value.getPrecision();
        if (precision == TemporalPrecisionEnum.YEAR) {
            return LocalDate.of(value.getYear(), 1, 1);
        }
        if (precision == TemporalPrecisionEnum.MONTH) {
            return LocalDate.of(value.getYear(), value.getMonth() + 1, 1);
        }
        if (precision == TemporalPrecisionEnum.DAY) {
            return LocalDate.parse(value.getValueAsString().substring(0, 10));
        }
        return value.getValue().toInstant().atZone(ZoneOffset.UTC).toLocalDate();
    }

    /** The instant of a FHIR date or dateTime (a date-only value at its start in the server's reading), or null. */
    public static Instant instant(BaseDateTimeType value) {
        return value == null || value.getValue() == null
                ? null
                : value.getValue().toInstant();
    }

    /**
     * {@link #utcDate(BaseDateTimeType)} of a date or dateTime as written ({@code getValueAsString}, as the case table
     * keeps it); null when empty. The common shapes are parsed directly: the audit reads many thousands.
     */
    public static LocalDate utcDate(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() == 10) {
            return LocalDate.parse(value);
        }
        Instant at = value.length() > 10 ? offsetInstant(value) : null;
        return at != null ? at.atZone(ZoneOffset.UTC).toLocalDate() : utcDate(new DateTimeType(value));
    }

    /** {@link #instant(BaseDateTimeType)} of a date or dateTime as written; null when empty. */
    public static Instant instant(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Instant at = value.length() > 10 ? offsetInstant(value) : null;
        return at != null ? at : instant(new DateTimeType(value));
    }

    private static Instant offsetInstant(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Whole calendar days from {@code from} to {@code to} (negative when {@code to} is earlier). */
    public static int daysBetween(LocalDate from, LocalDate to) {
        return (int) ChronoUnit.DAYS.between(from, to);
    }

    /** Where a procedure started: {@code performedPeriod.start}, else {@code performedDateTime}; null if neither. */
    public static BaseDateTimeType performed(Procedure procedure) {
        if (procedure.hasPerformedPeriod() && procedure.getPerformedPeriod().hasStart()) {
            return procedure.getPerformedPeriod().getStartElement();
        }
        return procedure.hasPerformedDateTimeType() ? procedure.getPerformedDateTimeType() : null;
    }

    /** When an observation was made: {@code effectiveDateTime}, else {@code effectivePeriod.start}; null if neither. */
    public static BaseDateTimeType effective(Observation observation) {
        if (observation.hasEffectiveDateTimeType()) {
            return observation.getEffectiveDateTimeType();
        }
        if (observation.hasEffectivePeriod() && observation.getEffectivePeriod().hasStart()) {
            return observation.getEffectivePeriod().getStartElement();
        }
        return null;
    }

    /** The UTC day of an observation: its effective time, else the day it was issued; null if none. */
    public static LocalDate effectiveDate(Observation observation) {
        BaseDateTimeType effective = effective(observation);
        if (effective != null) {
            return utcDate(effective);
        }
        return observation.hasIssued()
                ? observation.getIssued().toInstant().atZone(ZoneOffset.UTC).toLocalDate()
                : null;
    }

    /** {@link #effectiveDate}'s source as written: the effective time, else the issued instant; "" if neither. */
    public static String effectiveText(Observation observation) {
        BaseDateTimeType effective = effective(observation);
        if (effective != null && effective.getValueAsString() != null) {
            return effective.getValueAsString();
        }
        return observation.hasIssued() ? observation.getIssued().toInstant().toString() : "";
    }

    /** When a condition began: {@code onsetDateTime}, else {@code onsetPeriod.start}; null if neither. */
    public static BaseDateTimeType onset(Condition condition) {
        if (condition.hasOnsetDateTimeType()) {
            return condition.getOnsetDateTimeType();
        }
        if (condition.hasOnsetPeriod() && condition.getOnsetPeriod().hasStart()) {
            return condition.getOnsetPeriod().getStartElement();
        }
        return null;
    }
}
