package org.mcsfhir.server.outcomes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.DateType;
import org.mcsfhir.server.cases.CaseRow;
import org.mcsfhir.server.guide.GuideCodes;
import org.mcsfhir.server.registry.Pseudonymiser;

/**
 * One insertion of the analysis dataset: a case-table row turned into typed, documented columns (docs/outcomes.md,
 * "Analysis dataset"). Identifiable, or pseudonymised exactly as {@code $registry-case} does it: the insertion,
 * patient, centre and pump ids become the registry's pseudonymous ids, the birth date goes (the age at insertion
 * stays), clinical dates stay.
 */
final class AuditDatasetRow {

    private static final String ORGANIZATION = "Organization/";

    static final List<String> POINTS = List.of("30d", "180d", "1y");

    /** Column names in output order: snake_case, stable (scripts read them by name). */
    static final List<String> COLUMNS = columns();

    private AuditDatasetRow() {}

    /** The row's values by column: String, Integer, Double or Boolean; null where nothing is recorded. */
    static Map<String, Object> of(CaseRow row, Pseudonymiser pseudonymiser) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("insertion_id", id(pseudonymiser, "Procedure", row.insertionId()));
        values.put("patient_id", id(pseudonymiser, "Patient", row.patientId()));
        values.put(
                "centre",
                row.centre() == null || !row.centre().startsWith(ORGANIZATION)
                        ? row.centre()
                        : ORGANIZATION
                                + id(pseudonymiser, "Organization", row.centre().substring(ORGANIZATION.length())));
        values.put(
                "insertion_start",
                row.startAt() == null
                        ? null
                        : Instant.ofEpochMilli(row.startAt()).toString());
        values.put("insertion_date", row.startDay());
        values.put("sex", row.sex());
        values.put("birth_date", pseudonymiser == null ? row.birthDate() : null);
        values.put(
                "age_at_insertion",
                row.birthDate() == null || row.startAt() == null
                        ? null
                        : Pseudonymiser.ageAtInsertion(
                                new DateType(row.birthDate()).getValue(), new Date(row.startAt())));
        values.put("deceased", row.deceased() == null ? null : !"false".equals(row.deceased()));
        values.put(
                "death_date",
                row.deceased() == null
                                || row.deceased().equals("true")
                                || row.deceased().equals("false")
                        ? null
                        : row.deceased());
        values.put("pump_id", id(pseudonymiser, "Device", row.pumpId()));
        values.put("device_model", row.deviceModel());
        values.put("access_site", codeList(row.accessSites()));
        values.put("reason_codes", codeList(row.reasons()));
        values.put("consent", row.consentId() != null);
        removal(values, row.removals());
        outcomes(values, row.outcomes());
        complications(values, row.complications());
        return values;
    }

    private static String id(Pseudonymiser pseudonymiser, String type, String id) {
        if (id == null) {
            return null;
        }
        return pseudonymiser == null ? id : pseudonymiser.pseudonymousId(type + "/" + id);
    }

    /** The earliest removal that happened: {@code id|status|performed|reason} items. */
    private static void removal(Map<String, Object> values, String removals) {
        String[] first = null;
        for (String[] item : CaseRow.items(removals, 4)) {
            if (!item[1].equals("enteredinerror")
                    && !item[1].equals("notdone")
                    && !item[2].isEmpty()
                    && (first == null || item[2].compareTo(first[2]) < 0)) {
                first = item;
            }
        }
        values.put("removal_date", first == null ? null : first[2]);
        values.put("removal_reason", first == null ? null : list(first[3], ","));
    }

    /** Vital status, support outcome and QoL: {@code id|status|code|effective|value|point}; the latest counts. */
    private static void outcomes(Map<String, Object> values, String outcomes) {
        Map<String, String[]> latest = new LinkedHashMap<>();
        for (String[] item : CaseRow.items(outcomes, 6)) {
            if (item[1].equals("enteredinerror") || item[1].equals("cancelled")) {
                continue;
            }
            List<String> codes = Arrays.asList(item[2].split(","));
            String key = codes.contains(GuideCodes.SUPPORT_OUTCOME_CODE)
                    ? "support_outcome"
                    : codes.contains(GuideCodes.VITAL_STATUS_CODE) && POINTS.contains(item[5])
                            ? "vital_status_" + item[5]
                            : codes.contains(GuideCodes.EQ5D_INDEX) && POINTS.contains(item[5])
                                    ? "eq5d_index_" + item[5]
                                    : codes.contains(GuideCodes.EQ_VAS) && POINTS.contains(item[5])
                                            ? "eq_vas_" + item[5]
                                            : null;
            if (key != null && (!latest.containsKey(key) || item[3].compareTo(latest.get(key)[3]) >= 0)) {
                latest.put(key, item);
            }
        }
        values.put("support_outcome", value(latest.get("support_outcome")));
        for (String point : POINTS) {
            String status = value(latest.get("vital_status_" + point));
            values.put(
                    "vital_status_" + point,
                    status == null
                            ? null
                            : status.equals(GuideCodes.ALIVE)
                                    ? "alive"
                                    : status.equals(GuideCodes.DEAD) ? "dead" : status);
        }
        for (String measure : List.of("eq5d_index_", "eq_vas_")) {
            for (String point : POINTS) {
                String score = value(latest.get(measure + point));
                values.put(measure + point, score == null ? null : Double.valueOf(score));
            }
        }
    }

    /** Confirmed complications: {@code id|verification|code|onset|barc}. */
    private static void complications(Map<String, Object> values, String complications) {
        int count = 0;
        TreeSet<String> codes = new TreeSet<>();
        TreeSet<String> barc = new TreeSet<>();
        for (String[] item : CaseRow.items(complications, 5)) {
            List<String> verification = Arrays.asList(item[1].split(","));
            if (verification.contains("entered-in-error") || verification.contains("refuted")) {
                continue;
            }
            count++;
            Arrays.stream(item[2].split(",")).map(CaseRow::codeOf).forEach(codes::add);
            barc.addAll(Arrays.asList(item[4].split(",")));
        }
        codes.remove("");
        barc.remove("");
        values.put("complication_count", count);
        values.put("complication_codes", codes.isEmpty() ? null : String.join(";", codes));
        values.put("bleeding_barc", barc.isEmpty() ? null : String.join(";", barc));
    }

    private static String value(String[] item) {
        return item == null || item[4].isEmpty() ? null : item[4];
    }

    /**
     * A list of the row's {@code system#code} tokens as the dataset publishes it: the codes alone, sorted, {@code ;}
     * joined (the systems are those of the value sets docs/outcomes.md names).
     */
    private static String codeList(String tokens) {
        return tokens == null || tokens.isEmpty()
                ? null
                : String.join(
                        ";",
                        Arrays.stream(tokens.split(","))
                                .map(CaseRow::codeOf)
                                .sorted()
                                .toList());
    }

    private static String list(String joined, String separator) {
        return joined == null || joined.isEmpty() ? null : String.join(";", joined.split(separator));
    }

    private static List<String> columns() {
        List<String> names = new ArrayList<>(List.of(
                "insertion_id",
                "patient_id",
                "centre",
                "insertion_start",
                "insertion_date",
                "sex",
                "birth_date",
                "age_at_insertion",
                "deceased",
                "death_date",
                "pump_id",
                "device_model",
                "access_site",
                "reason_codes",
                "consent",
                "removal_date",
                "removal_reason",
                "support_outcome"));
        POINTS.forEach(point -> names.add("vital_status_" + point));
        POINTS.forEach(point -> names.add("eq5d_index_" + point));
        POINTS.forEach(point -> names.add("eq_vas_" + point));
        names.addAll(List.of("complication_count", "complication_codes", "bleeding_barc"));
        return List.copyOf(names);
    }
}
