package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.StringType;
import org.mcsfhir.server.errors.ClientErrors;
import org.mcsfhir.server.security.AccessRules;

/**
 * The period, centre and reference date of an outcome audit request, parsed one way for every audit operation, so
 * they answer a bad parameter with the same status and {@code MCS-100x} code.
 *
 * @param start first day of the period (inclusive)
 * @param end last day of the period (inclusive)
 * @param centre {@code Organization/<id>} of an existing centre, or null for every centre
 */
record AuditParameters(LocalDate start, LocalDate end, String centre) {

    static final String PERIOD_START = "periodStart";
    static final String PERIOD_END = "periodEnd";
    static final String CENTRE = AccessRules.AUDIT_CENTRE;
    static final String REFERENCE_DATE = "referenceDate";

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern CENTRE_REFERENCE = Pattern.compile("(?:Organization/)?([A-Za-z0-9\\-.]{1,64})");

    /** 400 MCS-1001..1004 for a missing, malformed or reversed period or a malformed centre; 404 MCS-1005 unknown. */
    static AuditParameters parse(StringType periodStart, StringType periodEnd, StringType centre, DaoRegistry daos) {
        LocalDate start = date(periodStart, PERIOD_START, true);
        LocalDate end = date(periodEnd, PERIOD_END, true);
        if (end.isBefore(start)) {
            throw ClientErrors.invalid("MCS-1003: periodEnd " + end + " is before periodStart " + start, PERIOD_END);
        }
        return new AuditParameters(start, end, centre(centre, daos));
    }

    /** The day follow-up is counted up to: {@code referenceDate} if given (400 MCS-1002 if malformed), else today (UTC). */
    static LocalDate referenceDate(StringType value, Clock clock) {
        LocalDate given = date(value, REFERENCE_DATE, false);
        return given != null ? given : LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    static LocalDate date(StringType value, String name, boolean required) {
        if (value == null || value.isEmpty() || value.getValue().isBlank()) {
            if (required) {
                throw ClientErrors.invalid("MCS-1001: " + name + " is required (a date, YYYY-MM-DD)", name);
            }
            return null;
        }
        String text = value.getValue().trim();
        try {
            if (DATE.matcher(text).matches()) {
                return LocalDate.parse(text);
            }
        } catch (DateTimeParseException e) {
            // falls through to the same answer as any other malformed value
        }
        throw ClientErrors.invalid("MCS-1002: " + name + " '" + text + "' is not a date (YYYY-MM-DD)", name);
    }

    /** {@code Organization/<id>} of an existing centre; 400 for a malformed reference, 404 for an unknown one. */
    private static String centre(StringType value, DaoRegistry daos) {
        if (value == null || value.isEmpty() || value.getValue().isBlank()) {
            return null;
        }
        String text = value.getValue().trim();
        var matcher = CENTRE_REFERENCE.matcher(text);
        if (!matcher.matches()) {
            throw ClientErrors.invalid(
                    "MCS-1004: centre '" + text + "' is not a reference to an Organization " + "(Organization/<id>)",
                    CENTRE);
        }
        String id = matcher.group(1);
        try {
            daos.getResourceDao(Organization.class).read(new IdType("Organization", id), new SystemRequestDetails());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            throw ClientErrors.notFound("MCS-1005: there is no centre Organization/" + id, CENTRE);
        }
        return "Organization/" + id;
    }
}
