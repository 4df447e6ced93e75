package org.mcsfhir.server.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dataset's encodings: RFC 4180 quoting and line ends, empty cells and JSON nulls for missing values. */
class AuditDatasetFormatTest {

    private static final List<String> COLUMNS = List.of("id", "text", "count", "flag");

    @Test
    void csv_quotesCommasQuotesAndLineBreaks_endsEveryLineWithCrlf_leavesMissingCellsEmpty() throws Exception {
        StringWriter out = new StringWriter();
        AuditDatasetFormat.CSV.write(
                List.of(row("a", "x, \"y\"\nz", 3, true), row("b", null, null, false)), COLUMNS, out);
        assertThat(out.toString()).isEqualTo("id,text,count,flag\r\na,\"x, \"\"y\"\"\nz\",3,true\r\nb,,,false\r\n");
    }

    @Test
    void ndjson_writesOneObjectPerLine_withNullForMissingValues() throws Exception {
        StringWriter out = new StringWriter();
        AuditDatasetFormat.NDJSON.write(
                List.of(row("a", "x,\"y\"", 3, true), row("b", null, null, false)), COLUMNS, out);
        assertThat(out.toString())
                .isEqualTo("{\"id\":\"a\",\"text\":\"x,\\\"y\\\"\",\"count\":3,\"flag\":true}\n"
                        + "{\"id\":\"b\",\"text\":null,\"count\":null,\"flag\":false}\n");
    }

    private static Map<String, Object> row(String id, String text, Integer count, Boolean flag) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("text", text);
        row.put("count", count);
        row.put("flag", flag);
        return row;
    }
}
