package org.mcsfhir.server.telemetry.mllp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class GuardedInputStreamTest {

    @Test
    void framesUpToTheLimit_passThrough_andEachStartBlockResetsTheCount() throws IOException {
        byte[] twoFrames = {0x0b, 'a', 'b', 'c', 0x1c, 0x0d, 0x0b, 'd', 'e', 'f', 0x1c};
        GuardedInputStream in = new GuardedInputStream(new ByteArrayInputStream(twoFrames), 5, 1000);

        for (byte expected : twoFrames) {
            assertThat(in.read()).isEqualTo(expected);
        }
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void aFrameBeyondTheLimit_failsTheRead() {
        byte[] big = {0x0b, 'a', 'b', 'c', 'd', 'e', 'f'};
        GuardedInputStream in = new GuardedInputStream(new ByteArrayInputStream(big), 5, 1000);

        assertThatThrownBy(() -> {
                    while (in.read() != -1) {
                        // read on
                    }
                })
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("MCS-0739");
    }

    @Test
    void socketTimeouts_areSwallowedUntilTheIdleTimeout() {
        InputStream silent = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new SocketTimeoutException("poll");
            }
        };
        long started = System.nanoTime();
        GuardedInputStream in = new GuardedInputStream(silent, 100, 50);

        assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageStartingWith("MCS-0738");
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(50);
    }
}
