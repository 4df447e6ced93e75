package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.Set;

/**
 * Sends the audit's reports in large chunks. HAPI's JSON parser writes every number through Jackson's
 * {@code ObjectMapper.writeValue}, which flushes after each value ({@code FLUSH_AFTER_WRITE_VALUE}); on the servlet's
 * writer each flush is a chunk on the socket. {@code $audit}'s Bundle holds some 15,000 counts and scores, so it went
 * out as 15,000 tiny chunks: about 0.5 s at any cohort size, more than computing it. This interceptor gives those
 * operations a writer that buffers 64 kB and ignores flushes; closing it, as HAPI does when the body is complete,
 * sends the rest.
 */
@Interceptor
class BufferedReportWriter {

    static final int BUFFER_CHARS = 64 * 1024;

    private final Set<String> operations;

    /** For the named operations only (e.g. {@code $audit}). */
    BufferedReportWriter(Set<String> operations) {
        this.operations = Set.copyOf(operations);
    }

    @Hook(Pointcut.SERVER_OUTGOING_WRITER_CREATED)
    public Writer writerCreated(Writer writer, RequestDetails request) {
        String operation = request.getOperation(); // null for a read or search; Set.of refuses to look up null
        return operation != null && operations.contains(operation) ? new FlushOnClose(writer) : writer;
    }

    /** Buffers everything written; {@link #flush()} does nothing, {@link #close()} writes out and closes. */
    static final class FlushOnClose extends Writer {

        private final BufferedWriter buffered;

        FlushOnClose(Writer out) {
            this.buffered = new BufferedWriter(out, BUFFER_CHARS);
        }

        @Override
        public void write(char[] chars, int offset, int length) throws IOException {
            buffered.write(chars, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) throws IOException {
            buffered.write(text, offset, length);
        }

        @Override
        public void write(int c) throws IOException {
            buffered.write(c);
        }

        @Override
        public void flush() {
            // a flush per number is what this writer is for; the body goes out when full or closed
        }

        @Override
        public void close() throws IOException {
            buffered.close();
        }
    }
}
