package org.mcsfhir.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchLimitsTest {

    private final SearchLimits limits = new SearchLimits(3, 4);

    @Test
    void repeatsCountAsParameters() {
        assertThatCode(() -> limits.check(request(Map.of("name", new String[] {"a", "b", "c"}))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.check(
                        request(Map.of("name", new String[] {"a", "b"}, "family", new String[] {"c", "d"}))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("MCS-0460");
    }

    @Test
    void anOrListIsBounded_escapedCommasAreNotSeparators() {
        assertThat(SearchLimits.orValues("a,b\\,c,d")).isEqualTo(3);
        assertThatThrownBy(() -> limits.check(request(Map.of("_id", new String[] {"1,2,3,4,5"}))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("MCS-0461");
    }

    @Test
    void theMatchUrlOfAConditionalCreateIsBoundedToo() {
        SystemRequestDetails create = request(Map.of());
        create.addHeader("If-None-Exist", "Patient?name=a&name=b&name=c&name=d");
        assertThatThrownBy(() -> limits.check(create)).hasMessageContaining("If-None-Exist");
    }

    private static SystemRequestDetails request(Map<String, String[]> parameters) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setParameters(parameters);
        return request;
    }
}
