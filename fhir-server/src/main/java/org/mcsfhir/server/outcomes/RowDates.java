package org.mcsfhir.server.outcomes;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.mcsfhir.server.cases.CaseDates;

/**
 * {@link CaseDates}' reading of the case table's dates, with the two shapes the table holds by the hundred thousand
 * read digit by digit: a day ({@code 2024-05-01}) and a UTC time to the second ({@code 2024-05-01T09:30:00Z}).
 * {@code DateTimeFormatter} parsing was the largest cost of turning 10,000 rows into audit cases. Anything else
 * (offsets, fractions, partial dates, invalid values) is {@link CaseDates}' to read, so the result is always the same.
 */
final class RowDates {

    private RowDates() {}

    /** {@link CaseDates#utcDate(String)}. */
    static LocalDate utcDate(String value) {
        if (value != null && isDay(value)) {
            try {
                return LocalDate.of(number(value, 0, 4), number(value, 5, 2), number(value, 8, 2));
            } catch (DateTimeException e) {
                return CaseDates.utcDate(value); // not a calendar day: CaseDates decides
            }
        }
        Instant at = value != null && isUtcSecond(value) ? utcSecond(value) : null;
        return at != null ? LocalDate.ofInstant(at, ZoneOffset.UTC) : CaseDates.utcDate(value);
    }

    /** {@link CaseDates#instant(String)}. */
    static Instant instant(String value) {
        Instant at = value != null && isUtcSecond(value) ? utcSecond(value) : null;
        return at != null ? at : CaseDates.instant(value);
    }

    /** The instant of a {@code YYYY-MM-DDThh:mm:ssZ} value, or null when it is no valid time. */
    private static Instant utcSecond(String value) {
        try {
            return LocalDateTime.of(
                            number(value, 0, 4),
                            number(value, 5, 2),
                            number(value, 8, 2),
                            number(value, 11, 2),
                            number(value, 14, 2),
                            number(value, 17, 2))
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** {@code YYYY-MM-DD}. */
    private static boolean isDay(String value) {
        return value.length() == 10
                && digits(value, 0, 4)
                && value.charAt(4) == '-'
                && digits(value, 5, 2)
                && value.charAt(7) == '-'
                && digits(value, 8, 2);
    }

    /** {@code YYYY-MM-DDThh:mm:ssZ}. */
    private static boolean isUtcSecond(String value) {
        return value.length() == 20
                && isDay(value.substring(0, 10))
                && value.charAt(10) == 'T'
                && digits(value, 11, 2)
                && value.charAt(13) == ':'
                && digits(value, 14, 2)
                && value.charAt(16) == ':'
                && digits(value, 17, 2)
                && value.charAt(19) == 'Z';
    }

    private static boolean digits(String value, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(String value, int from, int length) {
        int n = 0;
        for (int i = from; i < from + length; i++) {
            n = n * 10 + (value.charAt(i) - '0');
        }
        return n;
    }
}
