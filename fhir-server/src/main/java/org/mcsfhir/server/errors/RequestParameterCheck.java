package org.mcsfhir.server.errors;

import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Refuses, with 400 naming the parameter, request parameters that HAPI or the database would otherwise trip over
 * with a 500 or an SQL error: control characters and unpaired surrogates in any value (PostgreSQL cannot hold a NUL),
 * paging numbers out of range, numbers in number and quantity searches that no stored value could match, and a
 * missing {@code _jobId} on the export status poll.
 */
@Interceptor
public class RequestParameterCheck {

    /** Far beyond any real result set, and small enough that {@code _offset + _count} stays an int. */
    static final int MAX_OFFSET = 1_000_000_000;
    /** The limits of a stored decimal (storage/StorableValues): a search number outside them matches nothing. */
    static final int MAX_DIGITS = 40;

    static final int MAX_EXPONENT = 300;

    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d{1,10}");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final Pattern PREFIX = Pattern.compile("^(?:eq|ne|gt|lt|ge|le|sa|eb|ap)");

    private final ISearchParamRegistry searchParams;

    public RequestParameterCheck(ISearchParamRegistry searchParams) {
        this.searchParams = searchParams;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void check(RequestDetails request) {
        Map<String, String[]> parameters = request.getParameters();
        parameters.forEach((name, values) -> {
            checkCharacters(name, name);
            for (String value : values) {
                checkCharacters(name, value);
            }
        });
        wholeNumber(parameters, "_offset", MAX_OFFSET);
        wholeNumber(parameters, "_count", Integer.MAX_VALUE);
        if ("$expand".equals(request.getOperation())) {
            wholeNumber(parameters, "count", Integer.MAX_VALUE);
            wholeNumber(parameters, "offset", MAX_OFFSET);
        }
        if (parameters.containsKey(Constants.PARAM_FILTER)) {
            // disabled in storage, but HAPI parses the expression first and fails on most with an exception (a 500)
            throw ClientErrors.invalid(
                    "MCS-0456: _filter is not supported by this server; use search parameters", Constants.PARAM_FILTER);
        }
        if ("$export-poll-status".equals(request.getOperation()) && !parameters.containsKey("_jobId")) {
            throw ClientErrors.invalid(
                    "MCS-0452: _jobId is required (the id in the Content-Location of the export's "
                            + "kick-off response)",
                    "_jobId");
        }
        if (request.getRestOperationType() == RestOperationTypeEnum.SEARCH_TYPE && request.getResourceName() != null) {
            parameters.forEach((name, values) -> checkNumbers(request.getResourceName(), name, values));
        }
    }

    private static void checkCharacters(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = c < 0x20 || c == 0x7f;
            boolean loneSurrogate = Character.isHighSurrogate(c)
                    ? i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(++i))
                    : Character.isLowSurrogate(c);
            if (control || loneSurrogate) {
                throw ClientErrors.invalid(
                        "MCS-0450: parameter " + printable(name) + " contains "
                                + (control ? "a control character" : "an unpaired surrogate")
                                + ", which no value can hold",
                        printable(name));
            }
        }
    }

    private static void wholeNumber(Map<String, String[]> parameters, String name, int max) {
        String[] values = parameters.get(name);
        if (values == null) {
            return;
        }
        for (String value : values) {
            String trimmed = value.trim();
            if (!WHOLE_NUMBER.matcher(trimmed).matches() || Long.parseLong(trimmed) > max) {
                throw ClientErrors.invalid(
                        "MCS-0451: " + name + " must be a whole number from 0 to " + max + ", got " + printable(value),
                        name);
            }
        }
    }

    private void checkNumbers(String resourceType, String parameter, String[] values) {
        String name = parameter.contains(":") ? parameter.substring(0, parameter.indexOf(':')) : parameter;
        if (name.startsWith("_") || parameter.endsWith(":missing")) {
            return;
        }
        RuntimeSearchParam definition = searchParams.getActiveSearchParam(
                resourceType, name, ISearchParamRegistry.SearchParamLookupContextEnum.SEARCH);
        if (definition == null
                || (definition.getParamType() != RestSearchParameterTypeEnum.NUMBER
                        && definition.getParamType() != RestSearchParameterTypeEnum.QUANTITY)) {
            return;
        }
        for (String value : values) {
            for (String one : value.split(",")) {
                String number = PREFIX.matcher(one.trim()).replaceFirst("");
                if (number.contains("|")) {
                    number = number.substring(0, number.indexOf('|'));
                }
                if (!storable(number)) {
                    throw ClientErrors.invalid(
                            "MCS-0453: " + name + ": the number " + printable(number)
                                    + " is outside what this server stores (at most " + MAX_DIGITS
                                    + " digits, exponent from -" + MAX_EXPONENT + " to " + MAX_EXPONENT + ")",
                            name);
                }
            }
        }
    }

    /** True also for what is not a number at all: HAPI answers that with its own 400. */
    private static boolean storable(String number) {
        if (!NUMBER.matcher(number).matches()) {
            return true;
        }
        BigDecimal decimal;
        try {
            decimal = new BigDecimal(number);
        } catch (NumberFormatException exponentBeyondAnInt) {
            return false;
        }
        long exponent = (long) decimal.precision() - decimal.scale() - 1;
        boolean scaleFits = Math.abs(decimal.scale()) <= MAX_EXPONENT + MAX_DIGITS; // also for zeros such as 0e-999999
        return scaleFits
                && (decimal.signum() == 0 || (decimal.precision() <= MAX_DIGITS && Math.abs(exponent) <= MAX_EXPONENT));
    }

    /** A value as it may be quoted back: short, and without the characters that were refused. */
    private static String printable(String value) {
        String shown = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        StringBuilder out = new StringBuilder();
        shown.codePoints()
                .forEach(c -> out.append(
                        c < 0x20 || c == 0x7f || Character.isSurrogate((char) c)
                                ? String.format("\\u%04x", c)
                                : new String(Character.toChars(c))));
        return out.toString();
    }
}
