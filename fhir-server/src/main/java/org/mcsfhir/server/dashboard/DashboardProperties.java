package org.mcsfhir.server.dashboard;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code mcs.dashboard}; defaults are repeated in {@code application.yaml}. See
 * {@code docs/dashboard.md}.
 *
 * @param clientId the public OAuth2 client (no secret: the page runs in a browser) the governance dashboard signs in
 *     as, with the authorization code flow and PKCE; the issuer must know it and allow the dashboard's address as a
 *     redirect URI
 */
@Validated
@ConfigurationProperties(prefix = "mcs.dashboard")
public record DashboardProperties(
        @NotBlank @DefaultValue("mcs-dashboard") String clientId) {}
