package org.mcsfhir.it.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.it.security.SecureServer.create;
import static org.mcsfhir.it.support.TestServer.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcsfhir.it.security.SecureServer;

/**
 * {@code Measure/$audit-dataset} against the running jar: the CSV is RFC 4180 (read by Commons CSV) with one row per
 * insertion of {@code $audit}'s cohort, agreeing case by case with the generator, with {@code $audit}'s populations
 * (all centres and each) and with {@code $registry-case} (identifiable and pseudonymised); NDJSON has the same rows;
 * bad parameters get {@code $audit}'s answers. With security on: a registry without the identifiable-data grant gets
 * the registry's pseudonyms and no real id, a centre-bound EHR only its own centre.
 */
class AuditDatasetIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATASET = "/Measure/$audit-dataset";
    // no other IT writes insertions in 2006 (open server) or on 2005-05-05 (security server)
    private static final LocalDate START = LocalDate.parse("2006-01-01");
    private static final LocalDate END = LocalDate.parse("2006-12-31");
    private static final LocalDate REFERENCE = LocalDate.parse("2007-06-30");
    private static final String SECURE_DAY = "2005-05-05";
    private static final int SIZE = 15;

    private static SyntheticCohort cohort;

    @BeforeAll
    static void storeTheCohort() {
        cohort = SyntheticCohort.random("ds", 4242L, SIZE, START, END, REFERENCE);
        cohort.post(25);
        // the case table follows writes in the background: wait for it (a rebuild if it is slow)
        if (!await(() -> csv(fhir(), null).size() == SIZE)) {
            fhir().contentType("application/fhir+json")
                    .body("{\"resourceType\":\"Parameters\"}")
                    .post("/$case-table-rebuild")
                    .then()
                    .statusCode(200);
        }
    }

    @Test
    void csv_isRfc4180WithOneRowPerInsertionOfTheCohort_agreeingWithTheGenerator() {
        Response response = request(fhir(), null).get(DATASET);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType().replace(" ", "")).isEqualToIgnoringCase("text/csv;charset=utf-8");
        String body = response.asString();
        assertThat(body)
                .startsWith("insertion_id,patient_id,centre,insertion_start,insertion_date,sex,")
                .endsWith("\r\n")
                .doesNotContain("\r\n\r\n");
        Map<String, Map<String, String>> rows = byInsertion(parse(body));
        assertThat(rows).hasSize(SIZE);
        for (SyntheticCohort.Expected expected : cohort.expected) {
            Map<String, String> row = rows.get(expected.insertionId());
            assertThat(row).as(expected.insertionId()).isNotNull();
            assertThat(row.get("patient_id")).isEqualTo(expected.insertionId().replace("-insertion", "-patient"));
            assertThat(row.get("centre")).isEqualTo(expected.strata().get("centre"));
            assertThat(row.get("sex")).isEqualTo(expected.strata().get("sex"));
            assertThat(row.get("device_model")).isEqualTo(expected.strata().get("device-model"));
            assertThat(LocalDate.parse(row.get("insertion_date"))).isBetween(START, END);
            assertThat(row.get("consent")).isIn("true", "false");
            assertThat(Integer.parseInt(row.get("complication_count")))
                    .isEqualTo(expected.complications().size());
        }
        // the same explicitly, by _format and by Accept
        assertThat(parse(request(fhir(), null)
                        .queryParam("_format", "csv")
                        .get(DATASET)
                        .asString()))
                .hasSize(SIZE);
        assertThat(parse(request(fhir(), null).accept("text/csv").get(DATASET).asString()))
                .hasSize(SIZE);
    }

    @Test
    void rowCounts_equalAuditsPopulations_forAllCentresAndEachCentre() {
        assertThat(csv(fhir(), null)).hasSize(auditInsertions(null));
        for (String id : cohort.centres) {
            String centre = "Organization/" + id;
            List<Map<String, String>> rows = csv(fhir(), centre);
            assertThat(rows)
                    .as(centre)
                    .hasSize(auditInsertions(centre))
                    .allMatch(row -> row.get("centre").equals(centre));
        }
    }

    @Test
    void ndjson_givesTheSameRows() {
        Response response =
                request(fhir(), null).queryParam("_format", "ndjson").get(DATASET);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType().replace(" ", "")).isEqualToIgnoringCase("application/x-ndjson;charset=utf-8");
        List<Map<String, String>> ndjson = ndjson(response.asString());
        assertThat(ndjson).isEqualTo(csv(fhir(), null));
        assertThat(ndjson(request(fhir(), null)
                        .accept("application/x-ndjson")
                        .get(DATASET)
                        .asString()))
                .isEqualTo(ndjson);
    }

    @Test
    void everyRow_agreesWithRegistryCase_identifiableAndPseudonymised() throws IOException {
        Map<String, Map<String, String>> plain = byInsertion(csv(fhir(), null));
        String pseudonymisedBody = request(fhir(), null)
                .queryParam("pseudonymise", "true")
                .get(DATASET)
                .asString();
        Map<String, Map<String, String>> pseudonymised = byInsertion(parse(pseudonymisedBody));
        for (Map.Entry<String, Map<String, String>> entry : plain.entrySet()) {
            JsonNode identifiable = registryCase(fhir(), entry.getKey(), false);
            assertThat(entryId(identifiable, "Patient"))
                    .isEqualTo(entry.getValue().get("patient_id"));
            JsonNode registry = registryCase(fhir(), entry.getKey(), true);
            Map<String, String> row =
                    pseudonymised.get(registry.at("/identifier/value").asText());
            assertThat(row).as("pseudonymised row of " + entry.getKey()).isNotNull();
            assertThat(row.get("patient_id")).isEqualTo(entryId(registry, "Patient"));
            JsonNode patient = entryOf(registry, "Patient");
            assertThat(row.get("centre"))
                    .isEqualTo(patient.at("/managingOrganization/reference").asText());
            assertThat(row.get("age_at_insertion"))
                    .isEqualTo(patient.at("/extension/0/valueAge/value").asText());
            assertThat(row.get("birth_date")).isEmpty();
            assertThat(row.get("insertion_date")).isEqualTo(entry.getValue().get("insertion_date"));
            assertThat(row.get("sex")).isEqualTo(entry.getValue().get("sex"));
            assertThat(pseudonymisedBody)
                    .doesNotContain(entry.getKey())
                    .doesNotContain(entry.getValue().get("patient_id"));
        }
    }

    @Test
    void badParameters_getTheSameAnswersAsAudit() {
        List<Map<String, String>> cases = List.of(
                Map.of("periodEnd", "2006-12-31"),
                Map.of("periodStart", "2006-13-01", "periodEnd", "2006-12-31"),
                Map.of("periodStart", "2006-12-31", "periodEnd", "2006-01-01"),
                Map.of("periodStart", "2006-01-01", "periodEnd", "2006-12-31", "centre", "Patient/x y"),
                Map.of("periodStart", "2006-01-01", "periodEnd", "2006-12-31", "centre", "Organization/none-such"));
        for (Map<String, String> parameters : cases) {
            Response audit = fhir().queryParams(parameters).get("/Measure/$audit");
            Response dataset = fhir().queryParams(parameters).get(DATASET);
            assertThat(dataset.statusCode())
                    .as(parameters.toString())
                    .isEqualTo(audit.statusCode())
                    .isIn(400, 404);
            assertThat(code(dataset))
                    .as(parameters.toString())
                    .isEqualTo(code(audit))
                    .startsWith("MCS-100");
        }
        Response format = request(fhir(), null).queryParam("_format", "xlsx").get(DATASET);
        assertThat(format.statusCode()).isEqualTo(400);
        assertThat(code(format)).isEqualTo("MCS-1006");
    }

    @Test
    void withSecurity_registryWithoutGrantGetsPseudonyms_andAnEhrOnlyItsCentre() throws IOException {
        String admin =
                SecureServer.token("it-ds-admin", SecureServer.claims("admin", null, "system/Organization.cruds"));
        String registry = SecureServer.token("it-ds-registry", SecureServer.claims("registry", null, "system/*.rs"));
        List<String[]> centres = new ArrayList<>(); // organization, patient, insertion, ehr token
        for (String name : List.of("A", "B")) {
            String organization = create(
                    admin,
                    "Organization",
                    "{\"resourceType\":\"Organization\",\"name\":\"Dataset centre " + name + "\"}");
            String ehr =
                    SecureServer.token("it-ds-ehr-" + name, SecureServer.claims("ehr", organization, "system/*.cruds"));
            String patient = create(ehr, "Patient", """
                    {"resourceType":"Patient","identifier":[{"system":"https://mcs-fhir.org/fhir/sid/it-mrn",
                     "value":"ds-mrn-%s"}],"gender":"male","birthDate":"1950-01-02",
                     "managingOrganization":{"reference":"Organization/%s"}}""".formatted(organization, organization));
            String device = create(ehr, "Device", """
                    {"resourceType":"Device","serialNumber":"ds-sn-%s","owner":{"reference":"Organization/%s"},
                     "patient":{"reference":"Patient/%s"}}""".formatted(organization, organization, patient));
            String insertion = create(ehr, "Procedure", """
                    {"resourceType":"Procedure","status":"completed",
                     "code":{"coding":[{"system":"http://snomed.info/sct","code":"232967006"}]},
                     "subject":{"reference":"Patient/%s"},"performedPeriod":{"start":"%sT10:00:00Z"},
                     "focalDevice":[{"manipulated":{"reference":"Device/%s"}}]}""".formatted(patient, SECURE_DAY, device));
            centres.add(new String[] {organization, patient, insertion, ehr});
        }
        assertThat(await(() -> secureCsv(registry, null).size() == 2))
                .as("case table rows")
                .isTrue();

        String body = secureRequest(registry, null).get(DATASET).asString();
        for (String[] centre : centres) {
            assertThat(body).doesNotContain(centre[1]).doesNotContain(centre[2]).doesNotContain("ds-mrn-");
            JsonNode registryCase = registryCase(SecureServer.fhir(registry), centre[2], false);
            Map<String, String> row = byInsertion(parse(body))
                    .get(registryCase.at("/identifier/value").asText());
            assertThat(row).isNotNull();
            assertThat(row.get("patient_id")).isEqualTo(entryId(registryCase, "Patient"));
            assertThat(row.get("birth_date")).isEmpty();
            assertThat(row.get("age_at_insertion")).isEqualTo("55");
        }

        String[] a = centres.get(0);
        List<Map<String, String>> own = secureCsv(a[3], null);
        assertThat(own).hasSize(1);
        assertThat(own.get(0).get("insertion_id")).isEqualTo(a[2]);
        assertThat(own.get(0).get("patient_id")).isEqualTo(a[1]);
        assertThat(secureRequest(a[3], "Organization/" + centres.get(1)[0])
                        .get(DATASET)
                        .statusCode())
                .isEqualTo(403);
    }

    // --- helpers

    private static RequestSpecification request(RequestSpecification base, String centre) {
        RequestSpecification request =
                base.queryParam("periodStart", START.toString()).queryParam("periodEnd", END.toString());
        return centre == null ? request : request.queryParam("centre", centre);
    }

    private static RequestSpecification secureRequest(String token, String centre) {
        RequestSpecification request =
                SecureServer.fhir(token).queryParam("periodStart", SECURE_DAY).queryParam("periodEnd", SECURE_DAY);
        return centre == null ? request : request.queryParam("centre", centre);
    }

    private static List<Map<String, String>> csv(RequestSpecification base, String centre) {
        return parse(request(base, centre)
                .get(DATASET)
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    private static List<Map<String, String>> secureCsv(String token, String centre) {
        return parse(secureRequest(token, centre)
                .get(DATASET)
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    private static List<Map<String, String>> parse(String csv) {
        CSVFormat format = CSVFormat.RFC4180
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .build();
        try (CSVParser parser = CSVParser.parse(new StringReader(csv), format)) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                assertThat(record.isConsistent())
                        .as("record " + record.getRecordNumber())
                        .isTrue();
                rows.add(new LinkedHashMap<>(record.toMap()));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** NDJSON rows as CSV would write them: missing values empty, numbers and booleans as text. */
    private static List<Map<String, String>> ndjson(String body) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : body.split("\n")) {
            try {
                JsonNode node = JSON.readTree(line);
                Map<String, String> row = new LinkedHashMap<>();
                node.fields()
                        .forEachRemaining(f -> row.put(
                                f.getKey(),
                                f.getValue().isNull() ? "" : f.getValue().asText()));
                rows.add(row);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rows;
    }

    private static Map<String, Map<String, String>> byInsertion(List<Map<String, String>> rows) {
        Map<String, Map<String, String>> byId = new HashMap<>();
        rows.forEach(row -> byId.put(row.get("insertion_id"), row));
        return byId;
    }

    private static int auditInsertions(String centre) {
        var request = fhir().queryParam("periodStart", START.toString())
                .queryParam("periodEnd", END.toString())
                .queryParam("referenceDate", REFERENCE.toString());
        if (centre != null) {
            request = request.queryParam("centre", centre);
        }
        JsonNode bundle = json(
                request.get("/Measure/$audit").then().statusCode(200).extract().asString());
        for (JsonNode entry : bundle.get("entry")) {
            if (entry.at("/resource/measure").asText().endsWith("mcs-audit-insertions")) {
                for (JsonNode population : entry.at("/resource/group/0/population")) {
                    if (population.at("/code/coding/0/code").asText().equals("initial-population")) {
                        return population.get("count").asInt();
                    }
                }
            }
        }
        throw new AssertionError("no insertions report");
    }

    private static JsonNode registryCase(RequestSpecification base, String insertion, boolean pseudonymise) {
        Response response = base.queryParam("pseudonymise", String.valueOf(pseudonymise))
                .get("/Procedure/" + insertion + "/$registry-case");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return json(response.asString());
    }

    private static JsonNode entryOf(JsonNode bundle, String type) {
        for (JsonNode entry : bundle.get("entry")) {
            if (entry.at("/resource/resourceType").asText().equals(type)) {
                return entry.get("resource");
            }
        }
        throw new AssertionError("no " + type + " in the case");
    }

    private static String entryId(JsonNode bundle, String type) {
        return entryOf(bundle, type).get("id").asText();
    }

    private static String code(Response response) {
        return json(response.asString()).at("/issue/0/diagnostics").asText().split(":")[0];
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean await(Supplier<Boolean> done) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (done.get()) {
                return true;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
