package org.mcsfhir.it.security;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.mcsfhir.it.support.ServerProcess;
import org.mcsfhir.it.support.TestServer;

/**
 * Search and validated-write latency with security off, with the access log only, with tokens + centre isolation +
 * audit but the reference check off, and with everything on, each on a fresh server started here, one after the
 * other in the same run. The Observation write carries three clinical references (subject, focus, device), which the
 * reference check resolves. Not part of {@code verify}; run
 * it with
 *
 * <pre>./mvnw -B -pl integration-tests verify -Dit.test=SecurityOverheadBenchmarkIT -Dmcs.benchmark=true</pre>
 *
 * and read the figures on standard output.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "mcs.benchmark", matches = "true")
class SecurityOverheadBenchmarkIT {

    private static final int WARM_UP = 100;
    private static final int MEASURED = 300;

    @Test
    void securityOverhead() {
        MockOAuth2Server oauth = SecureServer.startOAuth();
        try {
            String issuer = oauth.issuerUrl("bench").toString();
            List<String> report = new ArrayList<>();
            report.add(run("security off, audit off", Map.of("mcs.security.access-log.enabled", "false"), null, null));
            report.add(run("security off, audit on ", Map.of(), null, null));
            report.add(run(
                    "security on,  audit on, reference check off",
                    Map.of("mcs.security.issuer", issuer, "mcs.security.reference-check", "false"),
                    oauth,
                    issuer));
            report.add(run("security on,  audit on ", Map.of("mcs.security.issuer", issuer), oauth, issuer));
            System.out.println("\n=== security overhead (" + TestServer.database() + ", p50 / p90 over " + MEASURED
                    + " requests after " + WARM_UP + " warm-up) ===");
            report.forEach(System.out::println);
        } finally {
            oauth.shutdown();
        }
    }

    private static String run(String label, Map<String, String> extra, MockOAuth2Server oauth, String issuer) {
        Map<String, String> settings = SecureServer.ownDatabase(TestServer.settingsFor(TestServer.database()));
        settings.putAll(extra);
        try (ServerProcess server = ServerProcess.start("bench-" + label.replaceAll("[^a-z]+", "-"), settings)) {
            Supplier<RequestSpecification> admin = spec(
                    server,
                    oauth == null
                            ? null
                            : token(
                                    oauth,
                                    "bench-admin",
                                    SecureServer.claims("admin", null, "system/Organization.cruds")));
            String centre = admin.get()
                    .body("{\"resourceType\":\"Organization\",\"name\":\"Bench centre\"}")
                    .post("/Organization")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            Supplier<RequestSpecification> ehr = spec(
                    server,
                    oauth == null
                            ? null
                            : token(oauth, "bench-ehr", SecureServer.claims("ehr", centre, "system/*.cruds")));
            String first = ehr.get()
                    .body(patient(centre))
                    .post("/Patient")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            String pump = ehr.get()
                    .body("""
                    {"resourceType":"Device","owner":{"reference":"Organization/%s"},"patient":{"reference":"Patient/%s"}}""".formatted(centre, first))
                    .post("/Device")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            String insertion = ehr.get()
                    .body("""
                    {"resourceType":"Procedure","status":"completed","code":{"text":"insertion"},
                     "subject":{"reference":"Patient/%s"}}""".formatted(first))
                    .post("/Procedure")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            List<Long> writes = new ArrayList<>();
            List<Long> referencing = new ArrayList<>();
            List<Long> searches = new ArrayList<>();
            for (int i = 0; i < WARM_UP + MEASURED; i++) {
                long start = System.nanoTime();
                String patient = ehr.get()
                        .body(patient(centre))
                        .post("/Patient")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id");
                long written = System.nanoTime();
                // three clinical references for the reference check: subject, focus (an insertion), device
                ehr.get()
                        .body(observation(patient, insertion, pump))
                        .post("/Observation")
                        .then()
                        .statusCode(201);
                long referenced = System.nanoTime();
                ehr.get().get("/Patient?gender=female&_count=20").then().statusCode(200);
                long searched = System.nanoTime();
                if (i >= WARM_UP) {
                    writes.add(written - start);
                    referencing.add(referenced - written);
                    searches.add(searched - referenced);
                }
            }
            return ("%s  Patient write p50 %6.1f ms p90 %6.1f ms   Observation write (3 references) p50 %6.1f ms"
                            + " p90 %6.1f ms   search p50 %6.1f ms p90 %6.1f ms")
                    .formatted(
                            label,
                            ms(writes, 50),
                            ms(writes, 90),
                            ms(referencing, 50),
                            ms(referencing, 90),
                            ms(searches, 50),
                            ms(searches, 90));
        }
    }

    private static String token(MockOAuth2Server oauth, String client, Map<String, Object> claims) {
        Map<String, Object> all = new LinkedHashMap<>(claims);
        all.put("client_id", client);
        return oauth.issueToken(
                        "bench",
                        client,
                        new no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback(
                                "bench", client, "JWT", List.of(SecureServer.AUDIENCE), all, 3600))
                .serialize();
    }

    private static Supplier<RequestSpecification> spec(ServerProcess server, String token) {
        RequestSpecBuilder spec = new RequestSpecBuilder()
                .setBaseUri(server.fhirBase())
                .setContentType("application/fhir+json")
                .setAccept("application/fhir+json");
        if (token != null) {
            spec.addHeader("Authorization", "Bearer " + token);
        }
        RequestSpecification built = spec.build();
        return () -> RestAssured.given(built);
    }

    private static String patient(String centre) {
        return """
                {"resourceType":"Patient","identifier":[{"system":"https://mcs-fhir.org/fhir/sid/bench","value":"%s"}],
                 "gender":"female","birthDate":"1967-09-14","managingOrganization":{"reference":"Organization/%s"}}""".formatted(UUID.randomUUID(), centre);
    }

    private static String observation(String patient, String insertion, String pump) {
        return """
                {"resourceType":"Observation","status":"final","code":{"text":"bench"},
                 "subject":{"reference":"Patient/%s"},"focus":[{"reference":"Procedure/%s"}],
                 "device":{"reference":"Device/%s"},"valueQuantity":{"value":3.1,"system":"http://unitsofmeasure.org",
                 "code":"L/min","unit":"L/min"}}""".formatted(patient, insertion, pump);
    }

    private static double ms(List<Long> nanos, int percentile) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percentile / 100)) / 1_000_000.0;
    }
}
