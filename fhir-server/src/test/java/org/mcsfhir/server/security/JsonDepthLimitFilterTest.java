package org.mcsfhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonDepthLimitFilterTest {

    @Test
    void countsNestingOfObjectsAndArrays() {
        assertThat(depth("{\"a\":[{\"b\":[1,2]}]}")).isEqualTo(4);
    }

    @Test
    void ignoresBracketsInsideStrings() {
        assertThat(depth("{\"text\":\"[[[[{{{{ \\\" [[[\"}")).isEqualTo(1);
    }

    @Test
    void flatDocumentHasDepthOne() {
        assertThat(depth("{\"resourceType\":\"Patient\"}")).isEqualTo(1);
    }

    private static int depth(String json) {
        return JsonDepthLimitFilter.depthOf(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void numbersWithHugeExponentsOrManyDigits_areOversized_othersAndStringsAreNot() {
        for (String json : new String[] {"{\"v\":1e999999}", "{\"v\":1E-1000}", "[" + "1".repeat(65) + "]"}) {
            assertThat(JsonDepthLimitFilter.hasOversizedNumber(
                    json.getBytes(StandardCharsets.UTF_8))).as(json).isTrue();
        }
        for (String json : new String[] {"{\"v\":1e300,\"b\":true,\"f\":false}", "{\"v\":-12.5e-300}",
                "{\"s\":\"1e999999 " + "9".repeat(100) + "\"}"}) {
            assertThat(JsonDepthLimitFilter.hasOversizedNumber(
                    json.getBytes(StandardCharsets.UTF_8))).as(json).isFalse();
        }
    }
}
