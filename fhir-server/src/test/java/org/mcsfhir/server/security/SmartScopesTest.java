package org.mcsfhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.server.security.SmartScopes.Permission.CREATE;
import static org.mcsfhir.server.security.SmartScopes.Permission.DELETE;
import static org.mcsfhir.server.security.SmartScopes.Permission.READ;
import static org.mcsfhir.server.security.SmartScopes.Permission.SEARCH;
import static org.mcsfhir.server.security.SmartScopes.Permission.UPDATE;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SmartScopesTest {

    @Test
    void v1Read_grantsReadAndSearchOnly() {
        SmartScopes scopes = SmartScopes.parse(List.of("system/Observation.read"));
        assertThat(scopes.allows("Observation", READ)).isTrue();
        assertThat(scopes.allows("Observation", SEARCH)).isTrue();
        assertThat(scopes.allows("Observation", CREATE)).isFalse();
        assertThat(scopes.allows("Patient", READ)).isFalse();
    }

    @Test
    void v1Write_grantsCreateUpdateDelete() {
        SmartScopes scopes = SmartScopes.parse(List.of("system/Observation.write"));
        assertThat(scopes.allows("Observation", CREATE)).isTrue();
        assertThat(scopes.allows("Observation", UPDATE)).isTrue();
        assertThat(scopes.allows("Observation", DELETE)).isTrue();
        assertThat(scopes.allows("Observation", READ)).isFalse();
    }

    @Test
    void v2Letters_grantExactlyWhatTheyName() {
        SmartScopes scopes = SmartScopes.parse(List.of("system/Observation.cu"));
        assertThat(scopes.allows("Observation", CREATE)).isTrue();
        assertThat(scopes.allows("Observation", UPDATE)).isTrue();
        assertThat(scopes.allows("Observation", READ)).isFalse();
        assertThat(scopes.allows("Observation", DELETE)).isFalse();
    }

    @Test
    void wildcardType_appliesToEveryType() {
        SmartScopes scopes = SmartScopes.parse(List.of("user/*.rs"));
        assertThat(scopes.allows("Patient", READ)).isTrue();
        assertThat(scopes.allows("Device", SEARCH)).isTrue();
        assertThat(scopes.allows("Device", CREATE)).isFalse();
    }

    @Test
    void v1Star_grantsEverything() {
        SmartScopes scopes = SmartScopes.parse(List.of("system/*.*"));
        for (SmartScopes.Permission permission : SmartScopes.Permission.values()) {
            assertThat(scopes.allows("Condition", permission)).isTrue();
        }
    }

    @Nested
    class GrantNothing {
        @Test
        void patientContextScopes() {
            assertThat(SmartScopes.parse(List.of("patient/*.read")).isEmpty()).isTrue();
        }

        @Test
        void v2ScopesWithAQuery() {
            assertThat(SmartScopes.parse(List.of("system/Observation.rs?category=laboratory"))
                            .isEmpty())
                    .isTrue();
        }

        @Test
        void lettersOutOfOrderOrRepeated() {
            assertThat(SmartScopes.parse(List.of("system/Observation.rc")).isEmpty())
                    .isTrue();
            assertThat(SmartScopes.parse(List.of("system/Observation.rr")).isEmpty())
                    .isTrue();
        }

        @Test
        void nonResourceScopes() {
            assertThat(SmartScopes.parse(List.of("openid", "profile", "launch", "offline_access", ""))
                            .isEmpty())
                    .isTrue();
        }
    }
}
