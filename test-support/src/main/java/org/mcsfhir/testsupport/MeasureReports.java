package org.mcsfhir.testsupport;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Finds the parts of {@code Measure/$audit}'s and {@code $audit-charts}' MeasureReports by code: a report by its
 * Measure, a group, stratifier, stratum or population by its code, an extension by its URL. Shared because
 * fhir-server's context test and the ITs read the same Bundles; a part that is missing fails the test.
 */
public final class MeasureReports {

    private MeasureReports() {}

    /** The report in {@code bundle} of the Measure whose URL ends in {@code /measureId}. */
    public static JsonNode report(JsonNode bundle, String measureId) {
        for (JsonNode entry : bundle.get("entry")) {
            if (entry.at("/resource/measure").asText().endsWith("/" + measureId)) {
                return entry.get("resource");
            }
        }
        throw new AssertionError("no report for " + measureId);
    }

    public static JsonNode group(JsonNode report, String code) {
        for (JsonNode group : report.get("group")) {
            if (group.at("/code/coding/0/code").asText().equals(code)) {
                return group;
            }
        }
        throw new AssertionError("no group " + code);
    }

    public static JsonNode stratifier(JsonNode group, String code) {
        for (JsonNode stratifier : group.get("stratifier")) {
            if (stratifier.at("/code/0/coding/0/code").asText().equals(code)) {
                return stratifier;
            }
        }
        throw new AssertionError("no stratifier " + code);
    }

    /** The stratum whose value's text is {@code value}. */
    public static JsonNode stratum(JsonNode stratifier, String value) {
        for (JsonNode stratum : stratifier.get("stratum")) {
            if (stratum.at("/value/text").asText().equals(value)) {
                return stratum;
            }
        }
        throw new AssertionError("no stratum " + value);
    }

    /** The count of the population coded {@code code} of a group or stratum. */
    public static int population(JsonNode node, String code) {
        for (JsonNode population : node.get("population")) {
            if (population.at("/code/coding/0/code").asText().equals(code)) {
                return population.get("count").asInt();
            }
        }
        throw new AssertionError("no population " + code);
    }

    /** The extension of {@code node} with {@code url}, or null when it has none. */
    public static JsonNode extension(JsonNode node, String url) {
        if (node.has("extension")) {
            for (JsonNode extension : node.get("extension")) {
                if (extension.get("url").asText().equals(url)) {
                    return extension;
                }
            }
        }
        return null;
    }
}
