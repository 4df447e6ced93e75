package org.mcsfhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The access log's settings, under their name and their former name ({@code mcs.security.audit.*}). */
class SecurityPropertiesTest {

    @Test
    void accessLogIsOnByDefault() {
        SecurityProperties.AccessLog accessLog = bind(Map.of()).accessLog();
        assertThat(accessLog.enabled()).isTrue();
        assertThat(accessLog.queueCapacity()).isEqualTo(10_000);
    }

    @Test
    void accessLogKeysAreRead() {
        SecurityProperties.AccessLog accessLog = bind(Map.of(
                        "mcs.security.access-log.enabled", "false", "mcs.security.access-log.queue-capacity", "50"))
                .accessLog();
        assertThat(accessLog.enabled()).isFalse();
        assertThat(accessLog.queueCapacity()).isEqualTo(50);
    }

    @Test
    void formerKeysStillWorkForOneRelease() {
        SecurityProperties.AccessLog accessLog =
                bind(Map.of("mcs.security.audit.enabled", "false")).accessLog();
        assertThat(accessLog.enabled()).isFalse();
        assertThat(accessLog.queueCapacity()).isEqualTo(10_000);

        accessLog = bind(Map.of("mcs.security.audit.queue-capacity", "7")).accessLog();
        assertThat(accessLog.enabled()).isTrue();
        assertThat(accessLog.queueCapacity()).isEqualTo(7);
    }

    private static SecurityProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("mcs.security", SecurityProperties.class);
    }
}
