package org.mcsfhir.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SampleParserTest {

    private static final Instant NOW = Instant.parse("2026-03-10T16:00:00Z");

    private static List<Sample> parse(String body, boolean array) throws IOException {
        return new SampleParser(1000, NOW, 300_000, 1000)
                .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), array);
    }

    @Test
    void ndjsonLine_becomesOneSamplePerChannel() throws IOException {
        List<Sample> samples = parse("""
                {"time":"2026-03-10T15:00:00Z","pump-flow":3.2,"performance-level":8}
                {"time":"2026-03-10T16:00:01+01:00","motor-current":612}
                """, false);

        assertThat(samples)
                .containsExactly(
                        new Sample(
                                Channel.PUMP_FLOW,
                                Instant.parse("2026-03-10T15:00:00Z").toEpochMilli(),
                                3.2,
                                1),
                        new Sample(
                                Channel.PERFORMANCE_LEVEL,
                                Instant.parse("2026-03-10T15:00:00Z").toEpochMilli(),
                                8,
                                1),
                        new Sample(
                                Channel.MOTOR_CURRENT,
                                Instant.parse("2026-03-10T15:00:01Z").toEpochMilli(),
                                612,
                                2));
    }

    @Test
    void jsonArray_isAcceptedToo() throws IOException {
        assertThat(parse("[{\"time\":\"2026-03-10T15:00:00Z\",\"pump-speed\":33000}]", true))
                .extracting(Sample::channel, Sample::value)
                .containsExactly(Tuple.tuple(Channel.PUMP_SPEED, 33000.0));
    }

    @Test
    void sampleTime_isTruncatedToTheSamplePeriodGrid() throws IOException {
        assertThat(parse("{\"time\":\"2026-03-10T15:00:00.730Z\",\"pump-flow\":3}", false)
                        .get(0)
                        .timeMs())
                .isEqualTo(Instant.parse("2026-03-10T15:00:00Z").toEpochMilli());
    }

    @Nested
    class Rejected {

        private void assertRejected(String body, boolean array, int status, String code, String expression) {
            assertThatThrownBy(() -> parse(body, array)).isInstanceOfSatisfying(TelemetryException.class, e -> {
                assertThat(e.status).isEqualTo(status);
                assertThat(e.getMessage()).startsWith(code + ":");
                assertThat(e.expression).isEqualTo(expression);
            });
        }

        @Test
        void unknownChannel_namesLineAndField() {
            assertRejected(
                    "{\"time\":\"2026-03-10T15:00:00Z\",\"pump-flow\":3}\n"
                            + "{\"time\":\"2026-03-10T15:00:01Z\",\"pump-flw\":3}",
                    false,
                    400,
                    "MCS-0702",
                    "line[2].pump-flw");
        }

        @Test
        void stringValue_isNotNumeric() {
            assertRejected(
                    "{\"time\":\"2026-03-10T15:00:00Z\",\"pump-flow\":\"3.2\"}",
                    false,
                    400,
                    "MCS-0703",
                    "line[1].pump-flow");
        }

        @Test
        void valueOutsideTheChannelRange_isRejected() {
            assertRejected(
                    "{\"time\":\"2026-03-10T15:00:00Z\",\"performance-level\":10}",
                    false,
                    400,
                    "MCS-0704",
                    "line[1].performance-level");
            assertRejected(
                    "{\"time\":\"2026-03-10T15:00:00Z\",\"performance-level\":2.5}",
                    false,
                    400,
                    "MCS-0704",
                    "line[1].performance-level");
            assertRejected(
                    "{\"time\":\"2026-03-10T15:00:00Z\",\"pump-flow\":-1}",
                    false,
                    400,
                    "MCS-0704",
                    "line[1].pump-flow");
        }

        @Test
        void timeWithoutOffset_isRejected() {
            assertRejected(
                    "{\"time\":\"2026-03-10T15:00:00\",\"pump-flow\":3}", false, 400, "MCS-0705", "line[1].time");
        }

        @Test
        void missingTime_isRejected() {
            assertRejected("{\"pump-flow\":3}", false, 400, "MCS-0705", "line[1].time");
        }

        @Test
        void timeBeyondTheFutureTolerance_isRejected() {
            assertRejected(
                    "{\"time\":\"2026-03-10T16:05:01Z\",\"pump-flow\":3}", false, 400, "MCS-0706", "line[1].time");
        }

        @Test
        void timeWithinTheFutureTolerance_isAccepted() throws IOException {
            assertThat(parse("{\"time\":\"2026-03-10T16:04:59Z\",\"pump-flow\":3}", false))
                    .hasSize(1);
        }

        @Test
        void malformedJson_namesTheLine() {
            assertRejected(
                    "{\"time\":\"2026-03-10T15:00:00Z\",\"pump-flow\":3}\n{\"time\":",
                    false,
                    400,
                    "MCS-0701",
                    "line[2]");
        }

        @Test
        void arrayExpectedForApplicationJson() {
            assertRejected("{\"time\":\"2026-03-10T15:00:00Z\",\"pump-flow\":3}", true, 400, "MCS-0701", "line[1]");
        }

        @Test
        void sampleWithoutChannels_isRejected() {
            assertRejected("{\"time\":\"2026-03-10T15:00:00Z\"}", false, 400, "MCS-0707", "line[1]");
        }

        @Test
        void emptyBody_isRejected() {
            assertRejected("", false, 400, "MCS-0707", null);
        }

        @Test
        void moreValuesThanAllowed_is413() {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 1001; i++) {
                body.append("{\"time\":\"2026-03-10T15:00:00Z\",\"pump-flow\":3}\n");
            }
            assertRejected(body.toString(), false, 413, "MCS-0710", "line[1001]");
        }
    }
}
