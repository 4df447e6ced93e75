package org.mcsfhir.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NDJSON gateway requests that TelemetryBenchmark measures and MllpBenchmark compares MLLP against: each request
 * one device's next {@code linesPerRequest} seconds of all seven channels. One copy, so the two benchmarks send the
 * same requests and their rates stay comparable.
 */
final class NdjsonLoad {

    static final String[] CHANNELS = {
        "pump-flow",
        "performance-level",
        "motor-current",
        "purge-pressure",
        "purge-flow",
        "placement-signal",
        "pump-speed"
    };
    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\":(\\d+)");

    private final String root;
    private final String[] deviceIds;
    private final Instant base;
    private final int linesPerRequest;
    private final long[] cursor; // next second to send, per device

    /** Devices' seconds count from {@code base}; {@code deviceIds} may be filled in after this. */
    NdjsonLoad(String root, String[] deviceIds, Instant base, int linesPerRequest) {
        this.root = root;
        this.deviceIds = deviceIds;
        this.base = base;
        this.linesPerRequest = linesPerRequest;
        this.cursor = new long[deviceIds.length];
    }

    /** Claims device {@code d}'s next block of seconds and returns its first: no two requests send the same second. */
    long claim(int d) {
        synchronized (cursor) {
            long first = cursor[d];
            cursor[d] += linesPerRequest;
            return first;
        }
    }

    /** Appends the block from {@code first}: one line per second with all seven channels. */
    void appendLines(StringBuilder body, long first) {
        for (long s = first; s < first + linesPerRequest; s++) {
            body.append("{\"time\":\"").append(base.plusSeconds(s)).append('"');
            for (int c = 0; c < CHANNELS.length; c++) {
                body.append(",\"").append(CHANNELS[c]).append("\":").append(value(c, s));
            }
            body.append("}\n");
        }
    }

    HttpResponse<String> post(int d, String ndjson) throws IOException, InterruptedException {
        return post(root, deviceIds[d], ndjson);
    }

    /** POSTs NDJSON samples of one device to the gateway of the server at {@code root}. */
    static HttpResponse<String> post(String root, String deviceId, String ndjson)
            throws IOException, InterruptedException {
        return BenchmarkServer.http()
                .send(
                        HttpRequest.newBuilder(URI.create(root + "/telemetry/v1/devices/" + deviceId + "/samples"))
                                .timeout(Duration.ofSeconds(60))
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofString(ndjson))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** The values the gateway acknowledged after commit, or -1 if it did not answer 200 with a count. */
    static long accepted(HttpResponse<String> response) {
        Matcher accepted = ACCEPTED.matcher(response.body());
        return response.statusCode() == 200 && accepted.find() ? Long.parseLong(accepted.group(1)) : -1;
    }

    /** Channel {@code channel}'s value at second {@code s}: each channel in its own plausible range. */
    static String value(int channel, long s) {
        return switch (channel) {
            case 0 -> Double.toString(2 + (s % 300) / 100.0);
            case 1 -> Long.toString(s % 10);
            case 2 -> Long.toString(500 + s % 200);
            case 3 -> Long.toString(600 + s % 100);
            case 4 -> Long.toString(10 + s % 5);
            case 5 -> Long.toString(80 + s % 20);
            default -> Long.toString(30000 + s % 1000);
        };
    }
}
