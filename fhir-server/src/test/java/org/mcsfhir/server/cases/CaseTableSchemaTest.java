package org.mcsfhir.server.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A table built by an older definition takes the current rows: version 3 keeps codings as {@code system#code}
 * tokens, longer than the {@code VARCHAR(400)} that version 2 gave access sites and reasons.
 */
class CaseTableSchemaTest {

    @Test
    void aVersion2TableIsWidenedBeforeItsRowsAreRebuilt() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:case-table-schema;DB_CLOSE_DELAY=-1");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        // the table as definition version 2 created it
        jdbc.execute("CREATE TABLE mcs_case (insertion_id VARCHAR(64) NOT NULL PRIMARY KEY, patient_id VARCHAR(64), "
                + "centre VARCHAR(80), start_at BIGINT, start_day VARCHAR(10), recorded BOOLEAN NOT NULL, "
                + "sex VARCHAR(16), birth_date VARCHAR(32), deceased VARCHAR(40), pump_id VARCHAR(64), "
                + "device_model VARCHAR(200), access_sites VARCHAR(400), reasons VARCHAR(400), consent_id VARCHAR(64), "
                + "removals TEXT, outcomes TEXT, complications TEXT, selection TEXT)");
        CaseTable table = new CaseTable(dataSource);
        table.createSchema();
        table.markBuilt("2");

        table.createSchema(); // the start of a server with definition version 3
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            reasons.add(CaseRow.token("https://mcs-fhir.org/fhir/CodeSystem/mcs-shock-aetiology-cs", "reason-" + i));
        }
        CaseRow row = new CaseRow(
                "i1",
                "p1",
                "Organization/c1",
                0L,
                "2026-01-01",
                true,
                null,
                null,
                null,
                null,
                null,
                String.join(",", reasons),
                String.join(",", reasons),
                null,
                "",
                "",
                "",
                "");
        assertThat(row.reasons()).hasSizeGreaterThan(400);
        table.put(row);

        assertThat(table.get("i1")).contains(row);
    }
}
