package org.mcsfhir.server.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mcsfhir.server.security.SecurityProperties;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the dashboard needs to know before it signs in: whether a sign-in is needed at all, its public client id and
 * the scopes to ask for. JSON rather than a generated script, so the page's Content-Security-Policy can stay
 * {@code script-src 'self'} over files that never change, and the settings stay data. The endpoints themselves are read
 * from {@code /fhir/.well-known/smart-configuration}, as a SMART app does.
 */
@RestController
class DashboardConfigController {

    /**
     * The scopes of the dashboard's views (SMART v2): {@code $audit} and {@code $audit-charts} need MeasureReport read,
     * the worklist cells Task, the telemetry view Device and Observation ({@code $telemetry-series}), centre names
     * Organization. What a token may see within them is decided by the server on each call, not by the page.
     */
    static final List<String> SCOPES = List.of(
            "openid",
            "user/MeasureReport.rs",
            "user/Task.rs",
            "user/Device.rs",
            "user/Observation.rs",
            "user/Organization.rs");

    private final DashboardProperties dashboard;
    private final SecurityProperties security;

    DashboardConfigController(DashboardProperties dashboard, SecurityProperties security) {
        this.dashboard = dashboard;
        this.security = security;
    }

    @GetMapping(value = DashboardPaths.CONFIG, produces = "application/json")
    ResponseEntity<Map<String, Object>> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("signIn", security.authenticationEnabled());
        config.put("clientId", dashboard.clientId());
        config.put("scope", String.join(" ", SCOPES));
        config.put("fhirBase", "/fhir");
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(config);
    }
}
