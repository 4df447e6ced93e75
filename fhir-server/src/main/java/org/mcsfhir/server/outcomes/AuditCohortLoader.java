package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.mcsfhir.server.cases.CaseRow;
import org.mcsfhir.server.cases.CaseTable;
import org.mcsfhir.server.cases.CaseTableKeeper;

/**
 * Loads the audit cohort from the case table ({@code mcs_case}, one indexed query for the period and centre): the
 * rows of the recorded insertions started in the period, each turned into an {@link AuditCase} as of the reference
 * date ({@link CaseBuilder}). Before reading, it waits until every write committed on this node so far is in the table,
 * so a client reads its own writes; writes on another node appear once that node has refreshed their rows.
 */
class AuditCohortLoader {

    /** How long a request waits for the table to take in what was written before it. */
    private static final Duration TABLE_WAIT = Duration.ofSeconds(30);

    private final CaseTable table;
    private final CaseTableKeeper keeper;
    private final OutcomeAuditProperties properties;
    private final StratumMaps maps;

    AuditCohortLoader(CaseTable table, CaseTableKeeper keeper, OutcomeAuditProperties properties, StratumMaps maps) {
        this.table = table;
        this.keeper = keeper;
        this.properties = properties;
        this.maps = maps;
    }

    /** The insertions started in [periodStart, periodEnd] (UTC dates), of one centre when {@code centre} is given. */
    List<AuditCase> load(LocalDate periodStart, LocalDate periodEnd, String centre, LocalDate referenceDate) {
        return rows(periodStart, periodEnd, centre).stream()
                .map(row -> CaseBuilder.build(row, referenceDate, properties, maps))
                .toList();
    }

    /** The cohort's case-table rows, current with every write committed on this node (the analysis dataset's). */
    List<CaseRow> rows(LocalDate periodStart, LocalDate periodEnd, String centre) {
        awaitTable();
        return table.startedBetween(periodStart, periodEnd, centre);
    }

    private void awaitTable() {
        if (!keeper.awaitCurrent(TABLE_WAIT)) {
            throw new UnclassifiedServerFailureException(
                    503,
                    "MCS-1010: the case table is being brought up to date "
                            + "(a rebuild or many writes are in progress); ask again in a minute");
        }
    }
}
