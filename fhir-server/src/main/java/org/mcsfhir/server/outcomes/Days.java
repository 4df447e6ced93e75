package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.hl7.fhir.r4.model.BaseDateTimeType;

/** UTC calendar dates of FHIR date/dateTime values, and whole days between them. */
final class Days {

    private Days() {}

    /**
     * The UTC calendar date of a FHIR date or dateTime; a date-only value is that date (not midnight in the server's
     * time zone), a year or month is its first day. Null when absent.
     */
    static LocalDate utcDate(BaseDateTimeType value) {
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

    static int between(LocalDate from, LocalDate to) {
        return (int) ChronoUnit.DAYS.between(from, to);
    }
}
