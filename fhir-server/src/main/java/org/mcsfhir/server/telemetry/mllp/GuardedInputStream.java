package org.mcsfhir.server.telemetry.mllp;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * What HAPI's MLLP reader reads from: closes the connection (by failing the read) when one frame grows beyond the
 * limit or the peer has sent nothing for the idle timeout. The socket's own short read timeout is swallowed here:
 * HAPI's decoder would otherwise throw away a half-read frame on every timeout.
 */
final class GuardedInputStream extends FilterInputStream {

    private static final int START_BLOCK = 0x0b;

    private final long maxFrameBytes;
    private final long idleMs;
    private long frameBytes;
    private long lastByteAt = System.nanoTime();

    GuardedInputStream(InputStream in, long maxFrameBytes, long idleMs) {
        super(in);
        this.maxFrameBytes = maxFrameBytes;
        this.idleMs = idleMs;
    }

    @Override
    public int read() throws IOException {
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                if ((System.nanoTime() - lastByteAt) / 1_000_000 >= idleMs) {
                    throw new IOException("MCS-0738: nothing received for " + idleMs
                            + " ms (mcs.telemetry.mllp.idle-timeout): closing the connection");
                }
                continue;
            }
            lastByteAt = System.nanoTime();
            if (b == START_BLOCK) {
                frameBytes = 0;
            } else if (++frameBytes > maxFrameBytes) {
                throw new IOException("MCS-0739: a frame is larger than " + maxFrameBytes
                        + " bytes (mcs.telemetry.mllp.max-frame-size): closing the connection");
            }
            return b;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        // HAPI's decoder reads byte by byte; keeping to single bytes keeps the frame count exact
        if (length == 0) {
            return 0;
        }
        int b = read();
        if (b < 0) {
            return -1;
        }
        buffer[offset] = (byte) b;
        return 1;
    }
}
