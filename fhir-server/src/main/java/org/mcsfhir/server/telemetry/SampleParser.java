package org.mcsfhir.server.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a gateway request body with Jackson's streaming parser (no tree, no data binding): either NDJSON, one
 * {@code {"time":…,"<channel>":<number>,…}} object per line, or a JSON array of such objects. Every problem is a
 * {@link TelemetryException} naming the line and the field, and stops the whole request.
 */
final class SampleParser {

    /** Before this, a console clock is wrong rather than a sample old. */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final long periodMs;
    private final long latestAllowedMs;
    private final int maxValues;

    SampleParser(long periodMs, Instant now, long futureToleranceMs, int maxValues) {
        this.periodMs = periodMs;
        this.latestAllowedMs = now.toEpochMilli() + futureToleranceMs;
        this.maxValues = maxValues;
    }

    List<Sample> parse(InputStream body, boolean array) throws IOException {
        List<Sample> samples = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken token = parser.nextToken();
            if (array) {
                if (token != JsonToken.START_ARRAY) {
                    throw TelemetryException.atLine(
                            "MCS-0701", line(parser), null, "an application/json body must be an array of samples");
                }
                while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                    readSample(parser, token, samples);
                }
                if (parser.nextToken() != null) {
                    throw TelemetryException.atLine("MCS-0701", line(parser), null, "content after the array");
                }
            } else {
                for (; token != null; token = parser.nextToken()) {
                    readSample(parser, token, samples);
                }
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
            throw TelemetryException.atLine(
                    "MCS-0701",
                    line,
                    null,
                    "malformed JSON at column " + column + ": " + firstSentence(e.getOriginalMessage()));
        }
        if (samples.isEmpty()) {
            throw new TelemetryException(400, "required", "MCS-0707: the request holds no samples", null);
        }
        return samples;
    }

    private void readSample(JsonParser parser, JsonToken token, List<Sample> samples) throws IOException {
        int line = line(parser);
        if (token != JsonToken.START_OBJECT) {
            throw TelemetryException.atLine("MCS-0701", line, null, "a sample must be a JSON object");
        }
        long timeMs = Long.MIN_VALUE;
        int first = samples.size();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("time")) {
                timeMs = readTime(parser, value, line);
                continue;
            }
            Channel channel = Channel.byCode(field);
            if (channel == null) {
                throw TelemetryException.atLine(
                        "MCS-0702",
                        line,
                        field,
                        "not a channel of mcs-telemetry-channel-cs (pump-flow, performance-level, motor-current, "
                                + "purge-pressure, purge-flow, placement-signal, pump-speed) nor \"time\"");
            }
            if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                throw TelemetryException.atLine(
                        "MCS-0703", line, field, "value must be a JSON number, got " + describe(parser, value));
            }
            double number = parser.getDoubleValue();
            String problem = Double.isFinite(number) ? channel.checkValue(number) : "value is not finite";
            if (problem != null) {
                throw TelemetryException.atLine("MCS-0704", line, field, problem);
            }
            if (samples.size() >= maxValues) {
                throw new TelemetryException(
                        413,
                        "too-costly",
                        "MCS-0710: line " + line
                                + ": the request holds more than " + maxValues
                                + " values (mcs.telemetry.max-values-per-request); split it",
                        "line[" + line + "]");
            }
            samples.add(new Sample(channel, 0, number, line));
        }
        if (timeMs == Long.MIN_VALUE) {
            throw TelemetryException.atLine("MCS-0705", line, "time", "missing");
        }
        if (samples.size() == first) {
            throw TelemetryException.atLine("MCS-0707", line, null, "the sample has no channel value");
        }
        for (int i = first; i < samples.size(); i++) {
            Sample s = samples.get(i);
            samples.set(i, new Sample(s.channel(), timeMs, s.value(), line));
        }
    }

    private long readTime(JsonParser parser, JsonToken value, int line) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw TelemetryException.atLine(
                    "MCS-0705", line, "time", "must be an RFC 3339 string, got " + describe(parser, value));
        }
        String text = parser.getText();
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw TelemetryException.atLine(
                    "MCS-0705",
                    line,
                    "time",
                    "\"" + text + "\" is not an RFC 3339 date-time with offset (e.g. 2026-03-10T15:00:00Z)");
        }
        long ms = instant.toEpochMilli();
        if (instant.isBefore(EARLIEST)) {
            throw TelemetryException.atLine("MCS-0705", line, "time", "\"" + text + "\" is before " + EARLIEST);
        }
        if (ms > latestAllowedMs) {
            throw TelemetryException.atLine(
                    "MCS-0706",
                    line,
                    "time",
                    "\"" + text + "\" is in the future beyond the tolerance (mcs.telemetry.future-tolerance)");
        }
        return Math.floorDiv(ms, periodMs) * periodMs;
    }

    private static String describe(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> "the string \"" + abbreviate(parser.getText()) + "\"";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> token.asString();
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    private static String firstSentence(String message) {
        String text = message == null ? "" : message;
        for (String cut : new String[] {"\n", " (start marker", " at [Source"}) {
            int at = text.indexOf(cut);
            if (at > 0) {
                text = text.substring(0, at);
            }
        }
        return text;
    }

    private static int line(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }
}
