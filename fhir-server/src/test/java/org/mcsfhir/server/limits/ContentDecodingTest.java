package org.mcsfhir.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.management.ThreadMXBean;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ContentDecodingTest {

    @Test
    void identityAndNoHeaderAreAPlainBody() {
        assertThat(ContentDecoding.codings(List.of())).isEmpty();
        assertThat(ContentDecoding.codings(List.of("identity"))).isEmpty();
        assertThat(ContentDecoding.codings(List.of("GZip, identity"))).containsExactly("gzip");
    }

    @Test
    void gzipIsInflated() throws Exception {
        byte[] plain = "{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(ContentDecoding.decode(gzip(plain), List.of("gzip"), 100)).isEqualTo(plain);
        assertThat(ContentDecoding.decode(gzip(plain), List.of("x-gzip"), plain.length))
                .isEqualTo(plain);
    }

    @Test
    void aBombIsRefusedWithoutInflatingMoreThanTheLimit() throws Exception {
        byte[] bomb = gzip(new byte[50 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(100 * 1024);
        long before = allocatedBytes();
        BodyRefusedException refused = catchThrowableOfType(
                () -> ContentDecoding.decode(bomb, List.of("gzip"), 1024 * 1024), BodyRefusedException.class);
        long allocated = allocatedBytes() - before;
        assertThat(refused.status).isEqualTo(413);
        assertThat(refused.getMessage())
                .startsWith("MCS-0413")
                .contains("1048576 bytes", "mcs.limits.max-decompressed-size");
        // the output buffer grows to the limit (doubling), never to the 50 MB
        assertThat(allocated).isLessThan(8L * 1024 * 1024);
    }

    @Test
    void unknownCodingsAre415_corruptGzipIs400() {
        BodyRefusedException brotli = catchThrowableOfType(
                () -> ContentDecoding.decode(new byte[10], List.of("br"), 100), BodyRefusedException.class);
        assertThat(brotli.status).isEqualTo(415);
        assertThat(brotli.getMessage()).startsWith("MCS-0484").contains("'br'");
        BodyRefusedException twice = catchThrowableOfType(
                () -> ContentDecoding.decode(new byte[10], List.of("gzip", "gzip"), 100), BodyRefusedException.class);
        assertThat(twice.status).isEqualTo(415);
        BodyRefusedException corrupt = catchThrowableOfType(
                () -> ContentDecoding.decode("not gzip".getBytes(StandardCharsets.UTF_8), List.of("gzip"), 100),
                BodyRefusedException.class);
        assertThat(corrupt.status).isEqualTo(400);
        assertThat(corrupt.getMessage()).startsWith("MCS-0484");
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    private static long allocatedBytes() {
        return ((ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
