package org.mcsfhir.server.cases;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The case table {@code mcs_case}: one {@link CaseRow} per pump insertion, in the server's database so that every
 * node reads and writes the same rows. {@code mcs_case_meta} holds the definition version the rows were built with;
 * a server whose {@link #VERSION} differs rebuilds the table at start-up.
 */
public class CaseTable {

    /** Server-level operation that rebuilds every row (administrators). */
    public static final String REBUILD_OPERATION = "$case-table-rebuild";
    /** Server-level operation that compares a sample of rows with the resources (administrators). */
    public static final String CHECK_OPERATION = "$case-table-check";

    /** Raise whenever {@link CaseRow} or its reading changes: the rows are then rebuilt from the resources. */
    public static final String VERSION = "3";

    private static final String COLUMNS = "insertion_id, patient_id, centre, start_at, start_day, recorded, sex, "
            + "birth_date, deceased, pump_id, device_model, access_sites, reasons, consent_id, removals, outcomes, "
            + "complications, selection";

    private final JdbcTemplate jdbc;

    public CaseTable(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    void createSchema() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS mcs_case ("
                + "insertion_id VARCHAR(64) NOT NULL PRIMARY KEY, patient_id VARCHAR(64), centre VARCHAR(80), "
                + "start_at BIGINT, start_day VARCHAR(10), recorded BOOLEAN NOT NULL, sex VARCHAR(16), "
                + "birth_date VARCHAR(32), deceased VARCHAR(40), pump_id VARCHAR(64), device_model VARCHAR(200), "
                + "access_sites TEXT, reasons TEXT, consent_id VARCHAR(64), removals TEXT, "
                + "outcomes TEXT, complications TEXT)");
        // added in definition version 2; the version change rebuilds the rows
        jdbc.execute("ALTER TABLE mcs_case ADD COLUMN IF NOT EXISTS selection TEXT");
        jdbc.execute("CREATE INDEX IF NOT EXISTS mcs_case_start ON mcs_case (start_day, centre)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS mcs_case_meta (k VARCHAR(32) NOT NULL PRIMARY KEY, "
                + "v VARCHAR(64) NOT NULL)");
        if (!VERSION.equals(builtVersion().orElse(null))) {
            // version 3 writes codings with their systems, which can outgrow the VARCHAR(400) of older tables;
            // only before the rebuild, so that a start with current rows does not alter the table
            jdbc.execute("ALTER TABLE mcs_case ALTER COLUMN access_sites SET DATA TYPE TEXT");
            jdbc.execute("ALTER TABLE mcs_case ALTER COLUMN reasons SET DATA TYPE TEXT");
        }
    }

    /** The definition version the rows were built with, empty before the first build. */
    Optional<String> builtVersion() {
        return jdbc.query("SELECT v FROM mcs_case_meta WHERE k = 'version'", (rs, i) -> rs.getString(1)).stream()
                .findFirst();
    }

    void markBuilt(String version) {
        if (jdbc.update("UPDATE mcs_case_meta SET v = ? WHERE k = 'version'", version) == 0) {
            try {
                jdbc.update("INSERT INTO mcs_case_meta (k, v) VALUES ('version', ?)", version);
            } catch (DuplicateKeyException e) {
                jdbc.update("UPDATE mcs_case_meta SET v = ? WHERE k = 'version'", version);
            }
        }
    }

    /** Writes the row, replacing the insertion's previous one (portable: update, else insert, else update). */
    void put(CaseRow row) {
        Object[] values = {
            row.patientId(),
            row.centre(),
            row.startAt(),
            row.startDay(),
            row.recorded(),
            row.sex(),
            row.birthDate(),
            row.deceased(),
            row.pumpId(),
            row.deviceModel(),
            row.accessSites(),
            row.reasons(),
            row.consentId(),
            row.removals(),
            row.outcomes(),
            row.complications(),
            row.selection(),
            row.insertionId()
        };
        int[] types = {
            Types.VARCHAR,
            Types.VARCHAR,
            Types.BIGINT,
            Types.VARCHAR,
            Types.BOOLEAN,
            Types.VARCHAR,
            Types.VARCHAR,
            Types.VARCHAR,
            Types.VARCHAR,
            Types.VARCHAR,
            Types.VARCHAR,
            Types.VARCHAR,
            Types.VARCHAR,
            Types.VARCHAR,
            Types.VARCHAR,
            Types.VARCHAR,
            Types.VARCHAR,
            Types.VARCHAR
        };
        String update = "UPDATE mcs_case SET patient_id = ?, centre = ?, start_at = ?, start_day = ?, recorded = ?, "
                + "sex = ?, birth_date = ?, deceased = ?, pump_id = ?, device_model = ?, access_sites = ?, "
                + "reasons = ?, consent_id = ?, removals = ?, outcomes = ?, complications = ?, selection = ? "
                + "WHERE insertion_id = ?";
        if (jdbc.update(update, values, types) > 0) {
            return;
        }
        try {
            jdbc.update(
                    "INSERT INTO mcs_case (patient_id, centre, start_at, start_day, recorded, sex, birth_date, "
                            + "deceased, pump_id, device_model, access_sites, reasons, consent_id, removals, outcomes, "
                            + "complications, selection, insertion_id) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    values,
                    types);
        } catch (DuplicateKeyException e) {
            jdbc.update(update, values, types); // another node inserted it first
        }
    }

    void remove(String insertionId) {
        jdbc.update("DELETE FROM mcs_case WHERE insertion_id = ?", insertionId);
    }

    void removeAllExcept(List<String> keep) {
        List<String> stored = ids();
        stored.removeAll(keep);
        stored.forEach(this::remove);
    }

    public Optional<CaseRow> get(String insertionId) {
        return jdbc
                .query("SELECT " + COLUMNS + " FROM mcs_case WHERE insertion_id = ?", CaseTable::row, insertionId)
                .stream()
                .findFirst();
    }

    /**
     * The recorded insertions started in [from, to] (UTC days), of one centre ({@code Organization/<id>}) or all
     * (null), by start day then id: the audit's cohort, in one indexed query.
     */
    public List<CaseRow> startedBetween(LocalDate from, LocalDate to, String centre) {
        String sql = "SELECT " + COLUMNS + " FROM mcs_case WHERE start_day >= ? AND start_day <= ? AND recorded = ?"
                + (centre == null ? "" : " AND centre = ?") + " ORDER BY start_day, insertion_id";
        return centre == null
                ? jdbc.query(sql, CaseTable::row, from.toString(), to.toString(), true)
                : jdbc.query(sql, CaseTable::row, from.toString(), to.toString(), true, centre);
    }

    /** Every stored insertion id. */
    List<String> ids() {
        return new ArrayList<>(jdbc.queryForList("SELECT insertion_id FROM mcs_case", String.class));
    }

    /** A sample of stored insertion ids, the most recently started first. */
    List<String> sample(int size) {
        return jdbc.query("SELECT insertion_id FROM mcs_case ORDER BY start_day DESC, insertion_id", rs -> {
            List<String> ids = new ArrayList<>();
            while (rs.next() && ids.size() < size) {
                ids.add(rs.getString(1));
            }
            return ids;
        });
    }

    long count() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM mcs_case", Long.class);
        return count == null ? 0 : count;
    }

    private static CaseRow row(ResultSet rs, int i) throws SQLException {
        long startAt = rs.getLong("start_at");
        Long start = rs.wasNull() ? null : startAt;
        return new CaseRow(
                rs.getString("insertion_id"),
                rs.getString("patient_id"),
                rs.getString("centre"),
                start,
                rs.getString("start_day"),
                rs.getBoolean("recorded"),
                rs.getString("sex"),
                rs.getString("birth_date"),
                rs.getString("deceased"),
                rs.getString("pump_id"),
                rs.getString("device_model"),
                rs.getString("access_sites"),
                rs.getString("reasons"),
                rs.getString("consent_id"),
                rs.getString("removals"),
                rs.getString("outcomes"),
                rs.getString("complications"),
                rs.getString("selection"));
    }
}
