package org.mcsfhir.server.telemetry;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the telemetry gateway under {@code mcs.telemetry}; defaults are repeated in {@code application.yaml}.
 *
 * @param window length of one stored window (one Observation per device, channel and window); must be a whole
 *     multiple of {@code samplePeriod}
 * @param samplePeriod the storage grid: sample times are truncated to a multiple of it, and it is
 *     {@code SampledData.period}
 * @param futureTolerance how far ahead of the server clock a sample time may be (console clock drift)
 * @param maxValuesPerRequest larger requests are refused with 413 (the general {@code mcs.fhir.max-request-size} applies
 *     too)
 * @param maxConcurrentRequests ingest requests processed at once (each holds one database connection)
 * @param maxWaitingRequests ingest requests allowed to wait for a turn; beyond that, 429
 * @param maxWait how long a waiting request waits for a turn before it gets 429
 * @param retryAfter the {@code Retry-After} sent with 429
 * @param deviceCacheTtl how long a device's patient and insertion Procedure are cached (per node)
 * @param materializeDelay a touched window is written as an Observation once it has been waiting this long, so that
 *     many sample batches for one window cost one Observation write
 * @param materializerInterval how often the materializer looks for touched windows
 * @param materializerBatch due windows fetched from the queue per round trip
 * @param materializerWindowsPerTransaction windows written in one database transaction (one commit for all)
 * @param seriesMaxSpan longest span {@code $telemetry-series} serves; longer spans get 422
 */
@Validated
@ConfigurationProperties(prefix = "mcs.telemetry")
public record TelemetryProperties(
        @NotNull @DefaultValue("60s") Duration window,
        @NotNull @DefaultValue("1s") Duration samplePeriod,
        @NotNull @DefaultValue("5m") Duration futureTolerance,
        @Min(1) @DefaultValue("200000") int maxValuesPerRequest,
        @Min(1) @DefaultValue("4") int maxConcurrentRequests,
        @Min(0) @DefaultValue("32") int maxWaitingRequests,
        @NotNull @DefaultValue("10s") Duration maxWait,
        @NotNull @DefaultValue("1s") Duration retryAfter,
        @NotNull @DefaultValue("60s") Duration deviceCacheTtl,
        @NotNull @DefaultValue("5s") Duration materializeDelay,
        @NotNull @DefaultValue("1s") Duration materializerInterval,
        @Min(1) @DefaultValue("200") int materializerBatch,
        @Min(1) @DefaultValue("50") int materializerWindowsPerTransaction,
        @NotNull @DefaultValue("7d") Duration seriesMaxSpan) {

    public TelemetryProperties {
        long periodMs = samplePeriod.toMillis();
        if (periodMs < 1 || window.toMillis() < periodMs || window.toMillis() % periodMs != 0) {
            throw new IllegalArgumentException("mcs.telemetry.window (" + window
                    + ") must be a positive whole multiple of mcs.telemetry.sample-period (" + samplePeriod + ")");
        }
        if (window.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("mcs.telemetry.window must be whole seconds (it names the window)");
        }
    }

    long windowMs() {
        return window.toMillis();
    }

    long periodMs() {
        return samplePeriod.toMillis();
    }

    int slotsPerWindow() {
        return (int) (windowMs() / periodMs());
    }
}
