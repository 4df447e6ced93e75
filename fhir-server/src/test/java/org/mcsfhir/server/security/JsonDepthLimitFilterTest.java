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
}
