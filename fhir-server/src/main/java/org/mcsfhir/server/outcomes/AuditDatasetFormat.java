package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mcsfhir.server.errors.ClientErrors;

/**
 * The two encodings of the analysis dataset: CSV (RFC 4180: header row, CRLF, a field quoted when it holds a comma,
 * quote or line break, quotes doubled; an empty field for a missing value) and NDJSON (one JSON object per line,
 * null for a missing value). CSV unless {@code _format} or {@code Accept} asks for NDJSON.
 */
enum AuditDatasetFormat {
    CSV("text/csv; charset=utf-8"),
    NDJSON("application/x-ndjson; charset=utf-8");

    static final String FORMAT = "_format";

    private static final Set<String> CSV_NAMES = Set.of("csv", "text/csv");
    private static final Set<String> NDJSON_NAMES = Set.of("ndjson", "application/x-ndjson", "application/ndjson");
    private static final ObjectMapper JSON = new ObjectMapper();

    final String contentType;

    AuditDatasetFormat(String contentType) {
        this.contentType = contentType;
    }

    /** From {@code _format} when given (400 MCS-1006 for another value), else from {@code Accept}; CSV by default. */
    static AuditDatasetFormat of(RequestDetails request) {
        String[] format =
                request.getParameters() == null ? null : request.getParameters().get(FORMAT);
        if (format != null && format.length > 0) {
            String name = format[0].trim().toLowerCase();
            if (CSV_NAMES.contains(name)) {
                return CSV;
            }
            if (NDJSON_NAMES.contains(name)) {
                return NDJSON;
            }
            throw ClientErrors.invalid(
                    "MCS-1006: _format '" + format[0] + "' is not offered for the dataset " + "(csv or ndjson)",
                    FORMAT);
        }
        String accept = request.getHeader("Accept");
        return accept != null && NDJSON_NAMES.stream().anyMatch(accept.toLowerCase()::contains) ? NDJSON : CSV;
    }

    void write(List<Map<String, Object>> rows, List<String> columns, Writer out) throws IOException {
        if (this == CSV) {
            out.write(csvLine(columns.stream().map(c -> (Object) c).toList()));
            for (Map<String, Object> row : rows) {
                out.write(csvLine(columns.stream().map(row::get).toList()));
            }
        } else {
            for (Map<String, Object> row : rows) {
                out.write(json(row));
                out.write('\n');
            }
        }
    }

    private static String csvLine(List<Object> values) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            Object value = values.get(i);
            String text = value == null ? "" : value.toString();
            if (text.indexOf(',') >= 0
                    || text.indexOf('"') >= 0
                    || text.indexOf('\n') >= 0
                    || text.indexOf('\r') >= 0) {
                text = '"' + text.replace("\"", "\"\"") + '"';
            }
            line.append(text);
        }
        return line.append("\r\n").toString();
    }

    private static String json(Map<String, Object> row) {
        try {
            return JSON.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
