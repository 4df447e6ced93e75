package org.mcsfhir.it.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.mcsfhir.it.support.TestServer.fhir;
import static org.mcsfhir.testsupport.MeasureReports.extension;
import static org.mcsfhir.testsupport.MeasureReports.group;
import static org.mcsfhir.testsupport.MeasureReports.population;
import static org.mcsfhir.testsupport.MeasureReports.report;
import static org.mcsfhir.testsupport.MeasureReports.stratifier;
import static org.mcsfhir.testsupport.MeasureReports.stratum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Measure/$audit} against the running jar: every figure of every MeasureReport, for the whole cohort and every
 * stratum, equals what the synthetic cohort generator knows; a small hand-worked Kaplan–Meier cohort matches its
 * table to three decimals. Bad parameters (400/404 with an OperationOutcome) are tested in fhir-server's
 * {@code outcomes/OutcomeAuditContextTest}.
 */
class OutcomeAuditIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUDIT = "/Measure/$audit";
    private static final String SMALL_CELL = "https://mcs-fhir.org/fhir/StructureDefinition/mcs-small-cell";
    private static final String CI = "https://mcs-fhir.org/fhir/StructureDefinition/mcs-confidence-interval";
    private static final String IQR = "https://mcs-fhir.org/fhir/StructureDefinition/mcs-interquartile-range";
    private static final List<String> MEASURES = List.of(
            "mcs-audit-insertions",
            "mcs-audit-survival",
            "mcs-audit-complications",
            "mcs-audit-support-outcome",
            "mcs-audit-quality-of-life",
            "mcs-audit-completeness");

    // the synthetic cohort lives in 2012-2013 and the hand-worked one in 2010: no other IT writes insertions there
    private static final LocalDate SYN_START = LocalDate.parse("2012-01-01");
    private static final LocalDate SYN_END = LocalDate.parse("2013-06-30");
    private static final LocalDate SYN_REFERENCE = LocalDate.parse("2013-07-15");
    private static final LocalDate HAND_DATE = LocalDate.parse("2010-03-01");
    private static final LocalDate HAND_REFERENCE = LocalDate.parse("2011-06-30");

    private static SyntheticCohort synthetic;
    private static SyntheticCohort hand;

    @BeforeAll
    static void storeTheCohorts() {
        long start = System.nanoTime();
        // 200 cases: every stratum, complication, BARC type and support end is covered (asserted below) while the
        // validated writes stay within a few minutes per database on a shared build machine
        synthetic = SyntheticCohort.random("a", 775L, 200, SYN_START, SYN_END, SYN_REFERENCE);
        synthetic.post(25);
        hand = handWorkedCohort();
        hand.post(25);
        System.out.printf(
                "[outcomes] stored %d + %d cases in %.1f s%n",
                synthetic.expected.size(), hand.expected.size(), (System.nanoTime() - start) / 1e9);
    }

    @Test
    void syntheticCohort_everyFigureOfEveryReportEqualsTheGenerator() {
        JsonNode bundle = audit(SYN_START, SYN_END, SYN_REFERENCE, null);
        assertEveryFigure(bundle, synthetic.expected);
    }

    @Test
    void syntheticCohort_coversEveryComplicationBarcTypeAndSupportEnd() {
        SoftAssertions soft = new SoftAssertions();
        for (String type : SyntheticCohort.COMPLICATIONS.keySet()) {
            for (String term : List.of("short-term", "long-term")) {
                soft.assertThat(numerator("complication-" + type + "-" + term))
                        .as(type + " " + term)
                        .isPositive();
            }
        }
        for (String barc : SyntheticCohort.BARC) {
            for (String term : List.of("short-term", "long-term")) {
                soft.assertThat(numerator("bleeding-barc-" + barc + "-" + term))
                        .as("BARC " + barc + " " + term)
                        .isPositive();
            }
        }
        for (String reason : SyntheticCohort.SUPPORT_END) {
            soft.assertThat(numerator("support-end-" + reason)).as(reason).isPositive();
        }
        Set<String> pregnancy = new HashSet<>();
        Set<String> ages = new HashSet<>();
        synthetic.expected.forEach(c -> {
            pregnancy.add(c.strata().get("pregnancy-status"));
            ages.add(c.strata().get("age-band"));
        });
        soft.assertThat(pregnancy).contains("pregnant", "postpartum-6w", "postpartum-1y");
        soft.assertThat(ages).containsExactlyInAnyOrder("under-50", "50-64", "65-74", "75-and-over");
        soft.assertThat(synthetic.expected).anyMatch(c -> !c.event() && c.dueDays() < 30); // not yet due
        soft.assertThat(synthetic.expected).anyMatch(c -> !c.event() && c.dueDays() >= 365 && c.time() < 365); // lost
        soft.assertAll();
    }

    @Test
    void sexAgeAndPregnancyFilters_restrictEveryFigureToThatSubgroup() {
        List<SyntheticCohort.Expected> women = synthetic.expected.stream()
                .filter(c -> c.strata().get("sex").equals("female"))
                .toList();
        assertThat(women).isNotEmpty();
        assertEveryFigure(audit(SYN_START, SYN_END, SYN_REFERENCE, null, Map.of("sex", "female")), women);

        List<SyntheticCohort.Expected> olderMen = synthetic.expected.stream()
                .filter(c -> c.strata().get("sex").equals("male")
                        && c.strata().get("age-band").equals("65-74"))
                .toList();
        assertEveryFigure(
                audit(SYN_START, SYN_END, SYN_REFERENCE, null, Map.of("sex", "male", "ageBand", "65-74")), olderMen);

        List<SyntheticCohort.Expected> pregnant = synthetic.expected.stream()
                .filter(c -> c.strata().get("pregnancy-status").equals("pregnant"))
                .toList();
        assertThat(pregnant).isNotEmpty();
        assertEveryFigure(audit(SYN_START, SYN_END, SYN_REFERENCE, null, Map.of("pregnancy", "pregnant")), pregnant);
    }

    @Test
    void centreParameter_restrictsEveryFigureToThatCentreAndNamesItAsReporter() {
        String centre = "Organization/" + synthetic.centres.get(1);
        JsonNode bundle = audit(SYN_START, SYN_END, SYN_REFERENCE, centre);
        List<SyntheticCohort.Expected> own = synthetic.expected.stream()
                .filter(c -> c.strata().get("centre").equals(centre))
                .toList();
        assertThat(own).isNotEmpty();
        for (JsonNode entry : bundle.get("entry")) {
            assertThat(entry.at("/resource/reporter/reference").asText()).isEqualTo(centre);
        }
        assertEveryFigure(bundle, own);
    }

    @Test
    void auditIsFastEnoughForItsCohort() {
        long start = System.nanoTime();
        audit(SYN_START, SYN_END, SYN_REFERENCE, null);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("[outcomes] $audit over %d cases: %.3f s%n", synthetic.expected.size(), seconds);
        // a smoke bound only (build machines are shared); the benchmarks module measures $audit over 10,000 cases
        assertThat(seconds).isLessThan(30.0);
    }

    /*
     * Hand-worked cohort: 8 insertions on 2010-03-01, reference date 2011-06-30 (every follow-up point due).
     *   P1 dies day 2 (Patient.deceasedDateTime)            -> 2 d
     *   P2 dies day 5 on support (support outcome)          -> 5 d
     *   P3 pump removed day 5 for recovery, never seen again -> 5 c (lost; tie with P2: death first)
     *   P4 "dead" vital status at 30d dated day 12          -> 12 d
     *   P5 alive at 30 d, then lost                         -> 30 c
     *   P6 alive at 30 d and 180 d, dies day 200            -> 200 d
     *   P7, P8 alive at 30 d, 180 d, 1 y                    -> 365 c, 365 c
     *
     *   t    n   d  c   S(t)              Greenwood Σ d/(n(n-d))
     *   2    8   1  0   7/8 = 0.875       1/56  = 0.017857
     *   5    7   1  1   0.875·6/7 = 0.75  +1/42 = 0.041667
     *   12   5   1  0   0.75·4/5 = 0.6    +1/20 = 0.091667
     *   30   4   0  1   0.6
     *   200  3   1  0   0.6·2/3 = 0.4     +1/6  = 0.258333
     *   365  2   0  2   0.4
     *
     *   S(30) = 0.600, at risk 4, deaths 3, censored before 30: 1 (lost); log-log 95 % CI 0.1955 – 0.8523
     *   S(180) = 0.600, at risk 3, deaths 3, censored before 180: 2 (lost); CI as at 30
     *   S(365) = 0.400, at risk 2, deaths 4, censored before 365: 2 (lost); CI 0.0660 – 0.7342
     */
    @Test
    void handWorkedCohort_survivalMatchesTheTableToThreeDecimals() {
        JsonNode survival = report(audit(HAND_DATE, HAND_DATE, HAND_REFERENCE, null), "mcs-audit-survival");
        assertSurvival(group(survival, "survival-30d"), 0.6, 0.1955, 0.8523, 8, 4, 3, 0, 1);
        assertSurvival(group(survival, "survival-180d"), 0.6, 0.1955, 0.8523, 8, 3, 3, 0, 2);
        assertSurvival(group(survival, "survival-1y"), 0.4, 0.0660, 0.7342, 8, 2, 4, 0, 2);
    }

    @Test
    void handWorkedCohort_referenceDateBeforeFollowUp_censorsAsNotYetDue() {
        // as of 2010-03-20 (day 19): deaths on days 2, 5, 12 are known (P6's on day 200 is not); P3 is censored on
        // day 5, the others on day 0 (their follow-up evidence is dated later, so ignored): all not yet due at 30.
        // KM: t=2 n=4 -> 3/4; t=5 n=3 -> 1/2; t=12 n=1 -> 0.
        JsonNode survival =
                report(audit(HAND_DATE, HAND_DATE, LocalDate.parse("2010-03-20"), null), "mcs-audit-survival");
        JsonNode at30 = group(survival, "survival-30d");
        assertThat(population(at30, "deaths")).isEqualTo(3);
        assertThat(population(at30, "censored-not-yet-due")).isEqualTo(5);
        assertThat(population(at30, "censored-lost-to-follow-up")).isZero();
        assertThat(population(at30, "number-at-risk")).isZero();
        assertThat(at30.at("/measureScore/value").asDouble()).isZero();
        assertThat(extension(at30, CI)).as("no interval at S = 0").isNull();
    }

    @Test
    void smallCells_areFlaggedButNeverSuppressed() {
        JsonNode insertions =
                group(report(audit(HAND_DATE, HAND_DATE, HAND_REFERENCE, null), "mcs-audit-insertions"), "insertions");
        assertThat(population(insertions, "initial-population")).isEqualTo(8);
        assertThat(hasSmallCell(insertions)).isFalse();
        JsonNode sex = stratifier(insertions, "sex");
        JsonNode male = stratum(sex, "male");
        assertThat(population(male, "initial-population")).isZero();
        assertThat(hasSmallCell(male)).isTrue();
        JsonNode female = stratum(sex, "female");
        assertThat(population(female, "initial-population")).isEqualTo(8);
        assertThat(hasSmallCell(female)).isFalse();
    }

    // --- the cohorts

    private static SyntheticCohort handWorkedCohort() {
        SyntheticCohort cohort = new SyntheticCohort("h", 1, HAND_REFERENCE);
        SyntheticCohort.CaseSpec p1 = handCase();
        p1.deathDay = 2;
        SyntheticCohort.CaseSpec p2 = handCase();
        p2.deathDay = 5;
        p2.deathSource = SyntheticCohort.DeathSource.SUPPORT_OUTCOME;
        p2.supportEnd = "death-on-support";
        p2.supportEndDay = 5;
        SyntheticCohort.CaseSpec p3 = handCase();
        p3.supportEnd = "myocardial-recovery";
        p3.supportEndDay = 5;
        p3.supportVia = SyntheticCohort.SupportVia.REMOVAL;
        SyntheticCohort.CaseSpec p4 = handCase();
        p4.deathDay = 12;
        p4.deathSource = SyntheticCohort.DeathSource.VITAL_STATUS_ONLY;
        SyntheticCohort.CaseSpec p5 = handCase();
        p5.alivePoints.add("30d");
        SyntheticCohort.CaseSpec p6 = handCase();
        p6.alivePoints.addAll(List.of("30d", "180d"));
        p6.deathDay = 200;
        SyntheticCohort.CaseSpec p7 = handCase();
        p7.alivePoints.addAll(List.of("30d", "180d", "1y"));
        SyntheticCohort.CaseSpec p8 = handCase();
        p8.alivePoints.addAll(List.of("30d", "180d", "1y"));
        List.of(p1, p2, p3, p4, p5, p6, p7, p8).forEach(cohort::add);
        return cohort;
    }

    private static SyntheticCohort.CaseSpec handCase() {
        SyntheticCohort.CaseSpec spec = new SyntheticCohort.CaseSpec();
        spec.insertionDate = HAND_DATE;
        return spec;
    }

    // --- checking a Bundle of MeasureReports against expected records

    private static void assertEveryFigure(JsonNode bundle, List<SyntheticCohort.Expected> cases) {
        SoftAssertions soft = new SoftAssertions();
        List<String> measures = new ArrayList<>();
        for (JsonNode entry : bundle.get("entry")) {
            JsonNode report = entry.get("resource");
            String measure = report.get("measure").asText();
            measures.add(measure.substring(measure.lastIndexOf('/') + 1));
            soft.assertThat(report.get("type").asText()).isEqualTo("summary");
            soft.assertThat(report.get("status").asText()).isEqualTo("complete");
            for (JsonNode group : report.get("group")) {
                String code = group.at("/code/coding/0/code").asText();
                compare(soft, measure + " " + code, group, ExpectedFigures.of(code, cases));
                for (JsonNode stratifier : group.get("stratifier")) {
                    String by = stratifier.at("/code/0/coding/0/code").asText();
                    Map<String, List<SyntheticCohort.Expected>> byStratum = new LinkedHashMap<>();
                    cases.forEach(c -> byStratum
                            .computeIfAbsent(c.strata().get(by), k -> new ArrayList<>())
                            .add(c));
                    Set<String> reported = new HashSet<>();
                    for (JsonNode stratum : stratifier.get("stratum")) {
                        String value = stratum.at("/value/text").asText();
                        reported.add(value);
                        compare(
                                soft,
                                measure + " " + code + " " + by + "=" + value,
                                stratum,
                                ExpectedFigures.of(code, byStratum.getOrDefault(value, List.of())));
                    }
                    soft.assertThat(reported).as(code + " strata of " + by).containsAll(byStratum.keySet());
                }
            }
        }
        soft.assertThat(measures).containsExactlyElementsOf(MEASURES);
        soft.assertAll();
    }

    private static void compare(SoftAssertions soft, String where, JsonNode actual, ExpectedFigures.Cell expected) {
        Map<String, Integer> populations = new HashMap<>();
        for (JsonNode population : actual.get("population")) {
            populations.put(
                    population.at("/code/coding/0/code").asText(),
                    population.get("count").asInt());
        }
        soft.assertThat(populations).as(where + " populations").isEqualTo(expected.populations());
        if (expected.score() == null) {
            soft.assertThat(actual.has("measureScore"))
                    .as(where + " has no score")
                    .isFalse();
        } else {
            soft.assertThat(actual.at("/measureScore/value").asDouble())
                    .as(where + " score")
                    .isCloseTo(expected.score(), within(5e-4));
        }
        JsonNode range = extension(actual, CI);
        if (range == null) {
            range = extension(actual, IQR);
        }
        if (expected.low() == null) {
            soft.assertThat(range).as(where + " has no range").isNull();
        } else {
            soft.assertThat(range).as(where + " range").isNotNull();
            if (range != null) {
                soft.assertThat(range.at("/valueRange/low/value").asDouble())
                        .as(where + " low")
                        .isCloseTo(expected.low(), within(5e-4));
                soft.assertThat(range.at("/valueRange/high/value").asDouble())
                        .as(where + " high")
                        .isCloseTo(expected.high(), within(5e-4));
            }
        }
        soft.assertThat(hasSmallCell(actual)).as(where + " small cell").isEqualTo(expected.denominator() < 5);
    }

    // --- small helpers

    private static int numerator(String group) {
        return ExpectedFigures.of(group, synthetic.expected).populations().get("numerator");
    }

    private static JsonNode audit(LocalDate start, LocalDate end, LocalDate reference, String centre) {
        return audit(start, end, reference, centre, Map.of());
    }

    private static JsonNode audit(
            LocalDate start, LocalDate end, LocalDate reference, String centre, Map<String, String> filters) {
        var request = fhir().queryParam("periodStart", start.toString())
                .queryParam("periodEnd", end.toString())
                .queryParam("referenceDate", reference.toString())
                .queryParams(filters);
        if (centre != null) {
            request = request.queryParam("centre", centre);
        }
        String body = request.get(AUDIT).then().statusCode(200).extract().asString();
        try {
            JsonNode bundle = JSON.readTree(body);
            assertThat(bundle.get("type").asText()).isEqualTo("collection");
            return bundle;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasSmallCell(JsonNode node) {
        JsonNode flag = extension(node, SMALL_CELL);
        return flag != null && flag.get("valueBoolean").asBoolean();
    }

    private static void assertSurvival(
            JsonNode group, double s, double low, double high, int n, int atRisk, int deaths, int notYetDue, int lost) {
        assertThat(group.at("/measureScore/value").asDouble()).isCloseTo(s, within(5e-4));
        JsonNode ci = extension(group, CI);
        assertThat(ci).isNotNull();
        assertThat(ci.at("/valueRange/low/value").asDouble()).isCloseTo(low, within(5e-4));
        assertThat(ci.at("/valueRange/high/value").asDouble()).isCloseTo(high, within(5e-4));
        assertThat(population(group, "initial-population")).isEqualTo(n);
        assertThat(population(group, "number-at-risk")).isEqualTo(atRisk);
        assertThat(population(group, "deaths")).isEqualTo(deaths);
        assertThat(population(group, "censored-not-yet-due")).isEqualTo(notYetDue);
        assertThat(population(group, "censored-lost-to-follow-up")).isEqualTo(lost);
    }
}
