package org.mcsfhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenModeGuardTest {

    private static SecurityProperties issuer(String issuer) {
        return new SecurityProperties(
                issuer,
                "mcs-fhir",
                "",
                Duration.ofSeconds(60),
                64,
                new SecurityProperties.AccessLog(true, 10),
                null,
                true);
    }

    @Test
    void noIssuerOnLoopback_starts() {
        assertThatCode(() -> new OpenModeGuard(issuer(""), "127.0.0.1")).doesNotThrowAnyException();
        assertThatCode(() -> new OpenModeGuard(issuer(""), "::1")).doesNotThrowAnyException();
        assertThatCode(() -> new OpenModeGuard(issuer(""), "localhost")).doesNotThrowAnyException();
    }

    @Test
    void noIssuerOnAllInterfaces_refusesToStart() {
        assertThatThrownBy(() -> new OpenModeGuard(issuer(""), "0.0.0.0")).hasMessageContaining("MCS-0001");
        assertThatThrownBy(() -> new OpenModeGuard(issuer(""), "")).hasMessageContaining("all interfaces");
    }

    @Test
    void withIssuer_anyAddressIsFine() {
        assertThatCode(() -> new OpenModeGuard(issuer("https://login.example/realm"), "0.0.0.0"))
                .doesNotThrowAnyException();
    }

    @Test
    void loopbackDetection() {
        assertThat(OpenModeGuard.isLoopback("127.0.0.2")).isTrue();
        assertThat(OpenModeGuard.isLoopback("10.0.0.1")).isFalse();
    }
}
