package org.mcsfhir.server.telemetry.mllp;

import ca.uhn.hl7v2.llp.HL7Reader;
import ca.uhn.hl7v2.llp.HL7Writer;
import ca.uhn.hl7v2.llp.LLPException;
import ca.uhn.hl7v2.llp.LowerLayerProtocol;
import ca.uhn.hl7v2.llp.MinLLPReader;
import ca.uhn.hl7v2.llp.MinLLPWriter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * HAPI's minimal lower layer protocol (MLLP framing, UTF-8) reading through a {@link GuardedInputStream}, so frame
 * size and idle time are bounded per connection.
 */
final class GuardedProtocol extends LowerLayerProtocol {

    private final long maxFrameBytes;
    private final long idleMs;

    GuardedProtocol(long maxFrameBytes, long idleMs) {
        this.maxFrameBytes = maxFrameBytes;
        this.idleMs = idleMs;
        setCharset(StandardCharsets.UTF_8);
    }

    @Override
    public HL7Reader getReader(InputStream in) throws LLPException {
        try {
            return new MinLLPReader(
                    new GuardedInputStream(new BufferedInputStream(in), maxFrameBytes, idleMs), charset);
        } catch (IOException e) {
            throw new LLPException("cannot read from the connection", e);
        }
    }

    @Override
    public HL7Writer getWriter(OutputStream out) throws LLPException {
        try {
            return new MinLLPWriter(out, charset, true);
        } catch (IOException e) {
            throw new LLPException("cannot write to the connection", e);
        }
    }
}
