package org.mcsfhir.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodyScannerTest {

    static final BodyLimits SMALL = new BodyLimits(8, 60, 30, 5, 20, 3, 64, 3);

    @Test
    void aNormalResourcePasses() {
        assertPasses("{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"Ann\",\"Bo\"]}],"
                + "\"extension\":[{\"url\":\"u\",\"valueString\":\"x\"}],\"birthDate\":\"1970-01-01\"}");
    }

    @Test
    void depth_countsObjectsAndArrays_notBracketsInStrings() {
        assertPasses("{\"text\":\"[[[[[[[[[[{{{{ \\\" [[\"}");
        assertPasses("[[[[[[[[1]]]]]]]]");
        assertRefused("[[[[[[[[[1]]]]]]]]]", "MCS-0410", "8 levels", "mcs.security.max-json-depth");
    }

    @Test
    void numbersWithHugeExponentsOrManyDigits_areRefused_othersAndStringsAreNot() {
        for (String json : new String[] {"{\"v\":1e999999}", "{\"v\":1E-1000}", "[" + "1".repeat(65) + "]"}) {
            assertRefused(json, "MCS-0411", "mcs.limits.max-number-length");
        }
        assertPasses("{\"v\":1e300,\"b\":true,\"f\":false,\"n\":null}");
        assertPasses("{\"v\":-12.5e-300}");
        assertPasses("{\"data\":\"1e999999 " + "9".repeat(100) + "\"}");
    }

    @Test
    void arrayLength_isItemsInOneArray() {
        assertPasses("{\"a\":[1,2,3,4,5],\"b\":[{},{},{},{},{}]}");
        assertRefused("{\"a\":[1,2,3,4,5,6]}", "MCS-0481", "5 items", "mcs.limits.max-array-length");
        assertRefused("{\"a\":[{},{},{},{},{},{}]}", "MCS-0481");
        assertRefused("{\"a\":[\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]}", "MCS-0481");
    }

    @Test
    void extensions_areCountedPerElement() {
        String three = "[{\"url\":\"a\"},{\"url\":\"b\"},{\"url\":\"c\"}]";
        String four = "[{\"url\":\"a\"},{\"url\":\"b\"},{\"url\":\"c\"},{\"url\":\"d\"}]";
        assertPasses("{\"extension\":" + three + ",\"_gender\":{\"extension\":" + three + "}}");
        assertRefused("{\"extension\":" + four + "}", "MCS-0483", "3 extensions", "mcs.limits.max-extensions");
        assertRefused("{\"_gender\":{\"modifierExtension\":" + four + "}}", "MCS-0483");
        assertPasses("{\"extensions\":" + four + "}");
    }

    @Test
    void strings_areLimitedExceptBase64Data() {
        assertPasses("{\"s\":\"" + "x".repeat(20) + "\"}");
        assertRefused("{\"s\":\"" + "x".repeat(21) + "\"}", "MCS-0482", "20 bytes", "mcs.limits.max-string-length");
        assertRefused("{\"" + "k".repeat(21) + "\":1}", "MCS-0482");
        assertRefused("{\"given\":[\"" + "x".repeat(21) + "\"]}", "MCS-0482");
        assertPasses("{\"attachment\":{\"data\":\"" + "QUJD".repeat(100) + "\"}}");
        assertPasses("{\"s\":\"\\\"\\\"\\\"\\\"\\\"\"}");
    }

    @Test
    void valuesInTheBody_areCounted() {
        // an entry holds 28 values (its resource 26): one entry makes 31 in the body, three 87
        String entry = "{\"resource\":{\"resourceType\":\"Basic\",\"a\":" + "[[1,2,3,4,5],[1,2,3,4,5],[1,2,3,4,5],"
                + "[1,2,3,4,5]]}}";
        assertPasses("{\"resourceType\":\"Bundle\",\"entry\":[" + entry + "]}");
        assertRefused(
                "{\"resourceType\":\"Bundle\",\"entry\":[" + entry + "," + entry + "," + entry + "]}",
                "MCS-0480",
                "60 values",
                "mcs.limits.max-values");
    }

    @Test
    void valuesInOneResource_areCounted_andABundleEntryIsItsOwnResource() {
        String values29 = "\"a\":[[1,2,3,4,5],[1,2,3,4,5],[1,2,3,4,5],[1,2,3,4,5]],\"c\":[1,2,3]";
        assertPasses("{\"resourceType\":\"Basic\"," + values29 + "}");
        assertRefused(
                "{" + values29 + ",\"b\":1,\"resourceType\":\"Basic\"}",
                "MCS-0480",
                "a resource",
                "mcs.limits.max-resource-values");
        // a Bundle's own values are not a resource's: 5 entries of 6 values each
        String entry = "{\"fullUrl\":\"u\",\"request\":{\"method\":\"POST\",\"url\":\"Basic\"},"
                + "\"resource\":{\"resourceType\":\"Basic\"}}";
        String entries = String.join(",", entry, entry, entry, entry, entry);
        assertPasses("{\"entry\":[" + entries + "],\"resourceType\":\"Bundle\"}");
        assertRefused("{\"entry\":[" + entries + "],\"resourceType\":\"Basic\"}", "MCS-0480", "a resource");
        // a contained resource counts in its container
        assertRefused("{\"resourceType\":\"Basic\",\"contained\":[{" + values29 + "}]}", "MCS-0480", "a resource");
        assertRefused(
                "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"Basic\"," + values29
                        + ",\"b\":1}}]}",
                "MCS-0480",
                "a resource");
    }

    @Test
    void transactionAndBatchBundles_areLimitedInEntries_otherBundlesAndNestedArraysAreNot() {
        String entry = "{\"request\":{\"method\":\"POST\",\"url\":\"Basic\"},"
                + "\"resource\":{\"resourceType\":\"Basic\",\"entry\":[1,2,3,4]}}";
        String three = String.join(",", entry, entry, entry);
        String four = String.join(",", entry, entry, entry, entry);
        for (String type : new String[] {"transaction", "batch"}) {
            assertPasses("{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[" + three + "]}");
            BodyRefusedException refused = catchThrowableOfType(
                    () -> JsonBodyScanner.scan(
                            bytes("{\"entry\":[" + four + "],\"resourceType\":\"Bundle\",\"type\":\"" + type + "\"}"),
                            SMALL),
                    BodyRefusedException.class);
            assertThat(refused).isNotNull();
            assertThat(refused.status).isEqualTo(413);
            assertThat(refused.getMessage())
                    .startsWith("MCS-0485")
                    .contains("4 entries", "at most 3", "mcs.limits.max-transaction-entries");
        }
        assertPasses("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[" + four + "]}");
        assertPasses("{\"resourceType\":\"List\",\"type\":\"transaction\",\"entry\":[" + four + "]}");
    }

    @Test
    void ndjsonLines_areScannedEachAsAResource() {
        assertPasses("{\"time\":\"t\",\"pump-flow\":3.3}\n{\"time\":\"t\",\"pump-flow\":3.3}\n");
    }

    static void assertPasses(String json) {
        assertThatCode(() -> JsonBodyScanner.scan(bytes(json), SMALL)).as(json).doesNotThrowAnyException();
    }

    static void assertRefused(String json, String... diagnostics) {
        BodyRefusedException refused =
                catchThrowableOfType(() -> JsonBodyScanner.scan(bytes(json), SMALL), BodyRefusedException.class);
        assertThat(refused).as(json).isNotNull();
        assertThat(refused.status).isEqualTo(400);
        assertThat(refused.getMessage()).startsWith(diagnostics[0]).contains(diagnostics);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
