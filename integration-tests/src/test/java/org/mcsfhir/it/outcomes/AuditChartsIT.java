package org.mcsfhir.it.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.mcsfhir.it.security.SecureServer.create;
import static org.mcsfhir.it.support.TestServer.fhir;
import static org.mcsfhir.testsupport.MeasureReports.extension;
import static org.mcsfhir.testsupport.MeasureReports.group;
import static org.mcsfhir.testsupport.MeasureReports.population;
import static org.mcsfhir.testsupport.MeasureReports.report;
import static org.mcsfhir.testsupport.MeasureReports.stratifier;
import static org.mcsfhir.testsupport.MeasureReports.stratum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.security.SecureServer;

/**
 * {@code Measure/$audit-charts} against the running jar, on the synthetic cohort of {@link OutcomeAuditIT} (a smaller
 * draw in a period of its own): the survival curve passes through {@code $audit}'s 30 d / 180 d / 1 y figures, a
 * centre's funnel point is {@code $audit}'s centre stratum, the VLAD ends at Σ expected − Σ observed computed here
 * from the generator, filters and stratifier split the cohort, {@code chart} keeps only the charts asked for, bad
 * parameters get 400 with an MCS code. With security on, a centre-bound EHR gets its own centre's points only, with
 * national figures over every centre.
 */
class AuditChartsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHARTS = "/Measure/$audit-charts";
    // no other IT writes insertions in 2003 (open server) or on 2004-04-04 (security server)
    private static final LocalDate START = LocalDate.parse("2003-01-01");
    private static final LocalDate END = LocalDate.parse("2003-12-31");
    private static final LocalDate REFERENCE = LocalDate.parse("2004-12-31");
    private static final String SECURE_DAY = "2004-04-04";
    private static final int SIZE = 40;

    private static SyntheticCohort cohort;

    @BeforeAll
    static void storeTheCohort() {
        cohort = SyntheticCohort.random("ch", 775L, SIZE, START, END, REFERENCE);
        cohort.post(20);
        assertThat(charts(fhir(), Map.of()).at("/parameter").size()).isPositive();
    }

    @Test
    void overallSurvival_passesThroughAuditsFiguresAt30And180DaysAndOneYear() {
        JsonNode charts = charts(fhir(), Map.of());
        JsonNode overall = parameters(charts, "survival").get(0);
        assertThat(value(overall, "stratifier")).isEqualTo("all");
        assertThat(value(overall, "n")).isEqualTo(String.valueOf(SIZE));
        JsonNode survival = report(audit(null), "mcs-audit-survival");
        Map<String, Integer> points = Map.of("survival-30d", 30, "survival-180d", 180, "survival-1y", 365);
        points.forEach((group, day) -> {
            JsonNode step = stepAt(overall, day);
            JsonNode figure = group(survival, group);
            assertThat(Double.parseDouble(value(step, "survival")))
                    .as(group)
                    .isCloseTo(figure.at("/measureScore/value").asDouble(), within(1e-4))
                    .isCloseTo(ExpectedFigures.survival(cohort.expected, day).score(), within(1e-4));
            JsonNode ci = extension(figure, "https://mcs-fhir.org/fhir/StructureDefinition/mcs-confidence-interval");
            if (ci != null) {
                assertThat(Double.parseDouble(value(step, "lower")))
                        .isCloseTo(ci.at("/valueRange/low/value").asDouble(), within(1e-4));
                assertThat(Double.parseDouble(value(step, "upper")))
                        .isCloseTo(ci.at("/valueRange/high/value").asDouble(), within(1e-4));
            }
        });
        List<JsonNode> risk = parts(overall, "risk");
        assertThat(risk).extracting(r -> value(r, "day")).containsExactly("0", "30", "90", "180", "365");
        assertThat(value(risk.get(1), "atRisk"))
                .isEqualTo(String.valueOf(
                        cohort.expected.stream().filter(c -> c.time() >= 30).count()));
    }

    @Test
    void funnelPointOfEachCentre_isAuditsCentreStratum() {
        JsonNode charts = charts(fhir(), Map.of());
        JsonNode mortality = funnel(charts, "mortality-30d");
        assertThat(value(mortality, "method")).isEqualTo("exact-binomial");
        JsonNode byCentre = stratifier(group(report(audit(null), "mcs-audit-survival"), "survival-30d"), "centre");
        List<JsonNode> centres = parts(mortality, "centre");
        assertThat(centres)
                .extracting(c -> value(c, "centre"))
                .containsExactlyElementsOf(cohort.centres.stream()
                        .map(id -> "Organization/" + id)
                        .sorted()
                        .toList());
        int known = 0;
        int deaths = 0;
        for (JsonNode point : centres) {
            JsonNode stratum = stratum(byCentre, value(point, "centre"));
            int n = population(stratum, "initial-population")
                    - population(stratum, "censored-not-yet-due")
                    - population(stratum, "censored-lost-to-follow-up");
            assertThat(value(point, "n")).isEqualTo(String.valueOf(n));
            assertThat(value(point, "events")).isEqualTo(String.valueOf(population(stratum, "deaths")));
            known += n;
            deaths += population(stratum, "deaths");
        }
        assertThat(Double.parseDouble(value(mortality, "nationalRate")))
                .isCloseTo((double) deaths / known, within(1e-4));
        assertThat(parts(mortality, "limit")).isNotEmpty();

        JsonNode complications = funnel(charts, "complication-any");
        for (JsonNode point : parts(complications, "centre")) {
            List<SyntheticCohort.Expected> own = cohort.expected.stream()
                    .filter(c -> c.strata().get("centre").equals(value(point, "centre")))
                    .toList();
            assertThat(value(point, "n")).isEqualTo(String.valueOf(own.size()));
            assertThat(value(point, "events"))
                    .isEqualTo(String.valueOf(own.stream()
                            .filter(c -> c.complications().stream().anyMatch(x -> x.onsetDay() <= 30))
                            .count()));
        }
    }

    @Test
    void vladOfEachCentre_endsAtExpectedMinusObservedDeaths_withNationalRatesPerScaiStage() {
        Map<String, double[]> byStage = new HashMap<>(); // stage -> [known, deaths]
        double[] overall = new double[2];
        for (SyntheticCohort.Expected c : cohort.expected) {
            if (known(c)) {
                double[] counts = byStage.computeIfAbsent(c.strata().get("scai-stage"), k -> new double[2]);
                counts[0]++;
                overall[0]++;
                if (died(c)) {
                    counts[1]++;
                    overall[1]++;
                }
            }
        }
        JsonNode charts = charts(fhir(), Map.of());
        List<JsonNode> safety = parameters(charts, "safety");
        assertThat(safety).hasSize(cohort.centres.size());
        for (JsonNode chart : safety) {
            double vlad = 0;
            int count = 0;
            for (SyntheticCohort.Expected c : cohort.expected) {
                if (known(c) && c.strata().get("centre").equals(value(chart, "centre"))) {
                    String stage = c.strata().get("scai-stage");
                    double[] counts = stage.equals("not-recorded") ? overall : byStage.get(stage);
                    vlad += counts[1] / counts[0] - (died(c) ? 1 : 0);
                    count++;
                }
            }
            List<JsonNode> cases = parts(chart, "case");
            assertThat(cases).hasSize(count);
            assertThat(Double.parseDouble(value(cases.get(count - 1), "vlad"))).isCloseTo(vlad, within(1e-3));
            assertThat(Double.parseDouble(value(chart, "threshold"))).isEqualTo(4.5);
            assertThat(cases).extracting(c -> value(c, "order")).first().isEqualTo("1");
            assertThat(chart.toString()).doesNotContain("-insertion", "-patient", "Patient/");
        }
    }

    @Test
    void stratifierAndFilters_splitTheCohort_getAndPost() {
        JsonNode bySex = charts(fhir(), Map.of("stratifier", "sex"));
        List<JsonNode> curves = parameters(bySex, "survival");
        assertThat(curves)
                .extracting(c -> value(c, "stratum"))
                .containsExactly("all", "female", "male", "other", "unknown");
        long women = cohort.expected.stream()
                .filter(c -> c.strata().get("sex").equals("female"))
                .count();
        assertThat(value(curves.get(1), "n")).isEqualTo(String.valueOf(women));

        JsonNode filtered = charts(fhir(), Map.of("sex", "female"));
        assertThat(parameters(filtered, "n").get(0).get("valueInteger").asLong())
                .isEqualTo(women);
        assertThat(value(parameters(filtered, "survival").get(0), "n")).isEqualTo(String.valueOf(women));

        String body = """
                {"resourceType":"Parameters","parameter":[{"name":"periodStart","valueString":"%s"},
                 {"name":"periodEnd","valueString":"%s"},{"name":"referenceDate","valueString":"%s"},
                 {"name":"sex","valueString":"female"}]}""".formatted(START, END, REFERENCE);
        Response post = fhir().body(body).post(CHARTS);
        assertThat(post.statusCode()).as(post.asString()).isEqualTo(200);
        assertThat(parameters(json(post.asString()), "n")
                        .get(0)
                        .get("valueInteger")
                        .asLong())
                .isEqualTo(women);
    }

    @Test
    void chartAskedFor_isTheOnlyChartInTheAnswer_repeatedOrCommaSeparated() {
        JsonNode all = charts(fhir(), Map.of());
        JsonNode survival = charts(fhir(), Map.of("chart", "survival"));
        assertThat(names(survival)).containsOnly("survival", "n");
        assertThat(parameters(survival, "survival")).isEqualTo(parameters(all, "survival"));
        JsonNode funnelAndSafety = charts(fhir(), Map.of("chart", "funnel,safety"));
        assertThat(names(funnelAndSafety)).doesNotContain("survival").contains("funnel", "safety", "n");
        assertThat(parameters(funnelAndSafety, "safety")).isEqualTo(parameters(all, "safety"));
        Response repeated = request(fhir(), Map.of())
                .queryParam("chart", "safety")
                .queryParam("chart", "funnel")
                .get(CHARTS);
        assertThat(repeated.statusCode()).as(repeated.asString()).isEqualTo(200);
        assertThat(names(json(repeated.asString()))).isEqualTo(names(funnelAndSafety));
    }

    @Test
    void badParameters_are400WithAnMcsCode() {
        assertError(fhir().queryParam("periodEnd", "2003-12-31").get(CHARTS), "MCS-1001", "periodStart");
        assertError(
                fhir().queryParam("periodStart", "2003-12-31")
                        .queryParam("periodEnd", "2003-01-01")
                        .get(CHARTS),
                "MCS-1003",
                "periodEnd");
        assertError(request(fhir(), Map.of("stratifier", "colour")).get(CHARTS), "MCS-1020", "stratifier");
        assertError(request(fhir(), Map.of("ageBand", "40-49")).get(CHARTS), "MCS-1021", "ageBand");
        assertError(request(fhir(), Map.of("pregnancy", "maybe")).get(CHARTS), "MCS-1021", "pregnancy");
        assertError(request(fhir(), Map.of("chart", "survival,pie")).get(CHARTS), "MCS-1022", "chart");
    }

    @Test
    void withSecurity_aCentreBoundEhrSeesOnlyItsCentre_withNationalFiguresOverAll() {
        String admin =
                SecureServer.token("it-ch-admin", SecureServer.claims("admin", null, "system/Organization.cruds"));
        String registry = SecureServer.token("it-ch-registry", SecureServer.claims("registry", null, "system/*.rs"));
        List<String[]> centres = new ArrayList<>(); // organization, ehr token
        for (String name : List.of("A", "B")) {
            String organization = create(
                    admin,
                    "Organization",
                    "{\"resourceType\":\"Organization\",\"name\":\"Charts centre " + name + "\"}");
            String ehr =
                    SecureServer.token("it-ch-ehr-" + name, SecureServer.claims("ehr", organization, "system/*.cruds"));
            // B's patient dies on day 3 (30-day status known); A's has no follow-up yet (unknown)
            String deceased = name.equals("B") ? ",\"deceasedDateTime\":\"2004-04-07T08:00:00Z\"" : "";
            String patient = create(ehr, "Patient", """
                    {"resourceType":"Patient","gender":"female","birthDate":"1960-01-02"%s,
                     "managingOrganization":{"reference":"Organization/%s"}}""".formatted(deceased, organization));
            create(ehr, "Procedure", """
                    {"resourceType":"Procedure","status":"completed",
                     "code":{"coding":[{"system":"http://snomed.info/sct","code":"232967006"}]},
                     "subject":{"reference":"Patient/%s"},"performedPeriod":{"start":"%sT10:00:00Z"}}""".formatted(patient, SECURE_DAY));
            centres.add(new String[] {organization, ehr});
        }
        String a = "Organization/" + centres.get(0)[0];
        String b = "Organization/" + centres.get(1)[0];

        JsonNode all = secureCharts(registry, null);
        assertThat(parts(funnel(all, "mortality-30d"), "centre"))
                .extracting(c -> value(c, "centre"))
                .containsExactlyInAnyOrder(a, b);

        JsonNode own = secureCharts(centres.get(0)[1], null);
        JsonNode mortality = funnel(own, "mortality-30d");
        assertThat(parts(mortality, "centre"))
                .extracting(c -> value(c, "centre"))
                .containsExactly(a);
        assertThat(value(parts(mortality, "centre").get(0), "n")).isEqualTo("0");
        assertThat(Double.parseDouble(value(mortality, "nationalRate")))
                .as("B's death, as an aggregate")
                .isEqualTo(1.0);
        assertThat(Double.parseDouble(value(funnel(own, "complication-any"), "nationalRate")))
                .isZero();
        assertThat(parameters(own, "safety"))
                .extracting(s -> value(s, "centre"))
                .containsExactly(a);
        assertThat(parameters(own, "n").get(0).get("valueInteger").asInt()).isEqualTo(1);
        assertThat(own.toString()).doesNotContain(b);

        Response foreign = secureRequest(centres.get(0)[1], Map.of("centre", b)).get(CHARTS);
        assertThat(foreign.statusCode()).isEqualTo(403);
    }

    // --- helpers

    private static RequestSpecification request(RequestSpecification base, Map<String, String> extra) {
        return base.queryParam("periodStart", START.toString())
                .queryParam("periodEnd", END.toString())
                .queryParam("referenceDate", REFERENCE.toString())
                .queryParams(extra);
    }

    private static RequestSpecification secureRequest(String token, Map<String, String> extra) {
        return SecureServer.fhir(token)
                .queryParam("periodStart", SECURE_DAY)
                .queryParam("periodEnd", SECURE_DAY)
                .queryParam("referenceDate", "2005-06-30")
                .queryParams(extra);
    }

    private static JsonNode charts(RequestSpecification base, Map<String, String> extra) {
        Response response = request(base, extra).get(CHARTS);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        JsonNode charts = json(response.asString());
        assertThat(charts.get("resourceType").asText()).isEqualTo("Parameters");
        return charts;
    }

    private static JsonNode secureCharts(String token, String centre) {
        Response response = secureRequest(token, centre == null ? Map.of() : Map.of("centre", centre))
                .get(CHARTS);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return json(response.asString());
    }

    private static JsonNode audit(String centre) {
        RequestSpecification request = request(fhir(), centre == null ? Map.of() : Map.of("centre", centre));
        return json(
                request.get("/Measure/$audit").then().statusCode(200).extract().asString());
    }

    private static boolean known(SyntheticCohort.Expected c) {
        return c.event() || c.time() >= 30;
    }

    private static boolean died(SyntheticCohort.Expected c) {
        return c.event() && c.time() <= 30;
    }

    /** The curve's value at a day: the last step on or before it. */
    private static JsonNode stepAt(JsonNode curve, int day) {
        JsonNode last = null;
        for (JsonNode point : parts(curve, "point")) {
            if (Integer.parseInt(value(point, "day")) <= day) {
                last = point;
            }
        }
        return last;
    }

    private static JsonNode funnel(JsonNode charts, String measure) {
        return parameters(charts, "funnel").stream()
                .filter(f -> value(f, "measure").equals(measure))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> names(JsonNode charts) {
        return StreamSupport.stream(charts.path("parameter").spliterator(), false)
                .map(p -> p.path("name").asText())
                .toList();
    }

    private static List<JsonNode> parameters(JsonNode charts, String name) {
        return StreamSupport.stream(charts.get("parameter").spliterator(), false)
                .filter(p -> p.get("name").asText().equals(name))
                .toList();
    }

    private static List<JsonNode> parts(JsonNode parameter, String name) {
        if (!parameter.has("part")) {
            return List.of();
        }
        return StreamSupport.stream(parameter.get("part").spliterator(), false)
                .filter(p -> p.get("name").asText().equals(name))
                .toList();
    }

    /** A part's value as text, whatever its type. */
    private static String value(JsonNode parameter, String name) {
        List<JsonNode> found = parts(parameter, name);
        assertThat(found).as(name).hasSize(1);
        JsonNode part = found.get(0);
        for (String type : List.of("valueString", "valueInteger", "valueDecimal", "valueBoolean", "valueDate")) {
            if (part.has(type)) {
                return part.get(type).asText();
            }
        }
        throw new AssertionError("no value in " + part);
    }

    private static void assertError(Response response, String code, String expression) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        JsonNode outcome = json(response.asString());
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.at("/issue/0/diagnostics").asText()).startsWith(code);
        assertThat(outcome.at("/issue/0/expression/0").asText()).isEqualTo(expression);
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
