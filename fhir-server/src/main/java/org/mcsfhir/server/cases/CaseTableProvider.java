package org.mcsfhir.server.cases;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import java.lang.reflect.RecordComponent;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.mcsfhir.server.errors.ClientErrors;

/**
 * Administration of the case table, on the server level: {@code POST [base]/$case-table-rebuild} rebuilds every row
 * from the resources; {@code [base]/$case-table-check} compares a sample of rows with the resources and reports the
 * drift (also the {@code mcs.cases.table.drift} gauge); {@code [base]/$case-table-row} shows one insertion's row. Each
 * runs after every write this node has already committed is in the table. Who may call them is the security
 * feature's concern (administrators may rebuild and check; the row, patient-level, is for open mode only).
 */
class CaseTableProvider {

    static final String REBUILD = CaseTable.REBUILD_OPERATION;
    static final String CHECK = CaseTable.CHECK_OPERATION;
    static final String ROW = "$case-table-row";

    private final CaseTableKeeper keeper;
    private final CaseTable table;

    CaseTableProvider(CaseTableKeeper keeper, CaseTable table) {
        this.keeper = keeper;
        this.table = table;
    }

    @Operation(name = REBUILD, idempotent = false)
    @Description(shortDefinition = "Rebuild the case table (one row per pump insertion) from the stored resources")
    public Parameters rebuild() throws Exception {
        Parameters out = new Parameters();
        out.addParameter("rows", new IntegerType((int) keeper.rebuild()));
        return out;
    }

    @Operation(name = CHECK, idempotent = true)
    @Description(
            shortDefinition =
                    "Compare a sample of case table rows with the stored resources; the rows that " + "differ (drift)")
    public Parameters check(
            @Description(shortDefinition = "How many rows to compare (the most recently started first); default 100")
                    @OperationParam(name = "sample", min = 0, max = 1)
                    IntegerType sample)
            throws Exception {
        int size = sample == null || sample.getValue() == null ? 100 : sample.getValue();
        if (size < 1) {
            throw ClientErrors.invalid("MCS-0881: sample must be a positive number of rows", "sample");
        }
        List<String> drifted = keeper.check(size);
        long rows = table.count();
        Parameters out = new Parameters();
        out.addParameter("rows", new IntegerType((int) rows));
        out.addParameter("checked", new IntegerType((int) Math.min(size, rows)));
        out.addParameter("drift", new IntegerType(drifted.size()));
        drifted.forEach(id -> out.addParameter("drifted", new Reference("Procedure/" + id)));
        return out;
    }

    // patient-level values (birth date, death): no token rule opens this operation
    @Operation(name = ROW, idempotent = true)
    @Description(shortDefinition = "One insertion's case table row and whether it equals the stored resources")
    public Parameters row(
            @Description(shortDefinition = "The insertion, Procedure/<id>")
                    @OperationParam(name = "insertion", min = 1, max = 1)
                    Reference insertion)
            throws Exception {
        String id = insertion == null ? null : CaseReferences.idOf(insertion, "Procedure");
        if (id == null) {
            throw ClientErrors.invalid(
                    "MCS-0881: insertion '" + (insertion == null ? "" : insertion.getReference())
                            + "' is not a Procedure reference (Procedure/<id>)",
                    "insertion");
        }
        keeper.awaitAnnounced(60_000);
        Parameters out = new Parameters();
        out.addParameter("consistent", new BooleanType(keeper.matchesResources(id)));
        var row = table.get(id);
        if (row.isPresent()) {
            out.addParameter(rowParameter(row.get()));
        }
        return out;
    }

    /** The row as a part per column (absent columns left out), in the record's order. */
    private static Parameters.ParametersParameterComponent rowParameter(CaseRow row) throws Exception {
        Parameters.ParametersParameterComponent part = new Parameters.ParametersParameterComponent().setName("row");
        for (RecordComponent column : CaseRow.class.getRecordComponents()) {
            Object value = column.getAccessor().invoke(row);
            if (value != null) {
                part.addPart().setName(column.getName()).setValue(new StringType(String.valueOf(value)));
            }
        }
        return part;
    }
}
