package org.mcsfhir.server.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Random;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

class BufferedReportWriterTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void anAuditBundle_goesOutInLargeChunks_notAFlushPerNumber() throws Exception {
        LocalDate day = LocalDate.parse("2026-01-01");
        Bundle bundle = new MeasureReportWriter(5, Clock.systemUTC())
                .write(MeasureReportWriterTest.randomCases(200, new Random(3)), day, day, null, day);
        String expected = FHIR.newJsonParser().encodeResourceToString(bundle);

        CountingWriter plain = new CountingWriter();
        FHIR.newJsonParser().encodeResourceToWriter(bundle, plain);
        // why the buffer exists: HAPI's JSON parser flushes after every number it writes
        assertThat(plain.flushes).isGreaterThan(1_000);

        CountingWriter socket = new CountingWriter();
        Writer writer = new BufferedReportWriter(Set.of("$audit")).writerCreated(socket, request("$audit"));
        FHIR.newJsonParser().encodeResourceToWriter(bundle, writer);
        assertThat(socket.flushes).isZero();
        writer.close(); // HAPI closes the writer when the body is complete
        assertThat(socket.text.toString()).isEqualTo(expected);
        assertThat(socket.writes).isLessThanOrEqualTo(expected.length() / BufferedReportWriter.BUFFER_CHARS + 1);
        assertThat(socket.closed).isTrue();
    }

    @Test
    void otherRequests_keepTheirWriter() {
        CountingWriter socket = new CountingWriter();
        BufferedReportWriter interceptor = new BufferedReportWriter(Set.of("$audit"));
        assertThat(interceptor.writerCreated(socket, request("$everything"))).isSameAs(socket);
        assertThat(interceptor.writerCreated(socket, request(null))).isSameAs(socket);
    }

    private static SystemRequestDetails request(String operation) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setOperation(operation);
        return request;
    }

    /** A socket stand-in: what was written, in how many writes and flushes. */
    private static final class CountingWriter extends Writer {
        final StringWriter text = new StringWriter();
        int writes;
        int flushes;
        boolean closed;

        @Override
        public void write(char[] chars, int offset, int length) {
            writes++;
            text.write(chars, offset, length);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
