package org.mcsfhir.server.limits;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.util.UrlUtil;
import java.util.Map;
import org.mcsfhir.server.errors.ClientErrors;

/**
 * Bounds what one search may ask of the database before HAPI plans it. Every query parameter becomes a join, so a
 * URL of 300 repeated {@code name} parameters cost 3.5 minutes of a core; the bound applies to the query of any
 * request (a search, a conditional update or delete) and to the match URL of a conditional create
 * ({@code If-None-Exist}). Refused with 400 {@code too-costly}: {@code MCS-0460} for too many parameters,
 * {@code MCS-0461} for too long an OR list in one parameter.
 */
@Interceptor
class SearchLimits {

    private final int maxParameters;
    private final int maxValues;

    SearchLimits(int maxParameters, int maxValues) {
        this.maxParameters = maxParameters;
        this.maxValues = maxValues;
    }

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = -200)
    public void check(RequestDetails request) {
        check(request.getParameters(), "the query");
        String matchUrl = request.getHeader(Constants.HEADER_IF_NONE_EXIST);
        if (matchUrl != null) {
            check(
                    UrlUtil.parseQueryString(matchUrl.substring(matchUrl.indexOf('?') + 1)),
                    Constants.HEADER_IF_NONE_EXIST);
        }
    }

    private void check(Map<String, String[]> parameters, String where) {
        int count = 0;
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            for (String value : parameter.getValue()) {
                count++;
                if (orValues(value) > maxValues) {
                    throw ClientErrors.tooCostly(
                            "MCS-0461: search parameter " + parameter.getKey() + " in " + where
                                    + " lists more than " + maxValues
                                    + " values (mcs.fhir.max-search-values); split the "
                                    + "search",
                            parameter.getKey());
                }
            }
        }
        if (count > maxParameters) {
            throw ClientErrors.tooCostly(
                    "MCS-0460: " + where + " has " + count + " search parameters, more than " + maxParameters
                            + " (mcs.fhir.max-search-parameters, repeats counted)",
                    where);
        }
    }

    /** Values of one parameter: commas separate them, a backslash escapes a comma (FHIR search escaping). */
    static int orValues(String value) {
        int values = 1;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ',') {
                values++;
            }
        }
        return values;
    }
}
