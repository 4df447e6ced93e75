package org.mcsfhir.server.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Typed settings under the {@code mcs} prefix. Defaults are repeated in {@code application.yaml} so an operator sees
 * them in one place.
 *
 * @param dataDir where the embedded H2 database (and later exports) live; survives restarts
 * @param fhir settings of the FHIR REST endpoint
 */
@Validated
@ConfigurationProperties(prefix = "mcs")
public record McsFhirProperties(
        @NotNull @DefaultValue("./data") Path dataDir,
        @NotNull @DefaultValue Fhir fhir) {

    /**
     * @param serverAddress absolute base URL to put in links (e.g. behind a proxy); empty means taken from the request
     * @param defaultPageSize search page size when the client gives no {@code _count}
     * @param maxPageSize the largest {@code _count} honoured
     * @param maxRequestSize request bodies larger than this are refused with 413
     * @param openApiEnabled serve OpenAPI and Swagger UI under {@code /fhir/api-docs} and {@code /fhir/swagger-ui/}
     * @param batchJobInterval how often HAPI's batch2 maintenance moves jobs (Bulk Data export) to their next step
     * @param maxSearchParameters the most query parameters one search may carry, repeats counted (each is a join)
     * @param maxSearchValues the most comma-separated values (an OR list) one search parameter may carry
     * @param cors which browser origins may call {@code /fhir} and {@code /telemetry} from their pages
     */
    public record Fhir(
            @DefaultValue("") String serverAddress,
            @Min(1) @DefaultValue("20") int defaultPageSize,
            @Min(1) @DefaultValue("500") int maxPageSize,
            @NotNull @DefaultValue("10MB") DataSize maxRequestSize,
            @DefaultValue("true") boolean openApiEnabled,
            @NotNull @DefaultValue("5s") Duration batchJobInterval,
            @Min(1) @DefaultValue("40") int maxSearchParameters,
            @Min(1) @DefaultValue("1000") int maxSearchValues,
            @NotNull @DefaultValue Cors cors) {}

    /**
     * Cross-origin requests from browser apps (a SMART app, a registry's web tool) on another origin. A page served
     * by this server itself is same-origin and needs no entry.
     *
     * @param allowedOrigins origins such as {@code https://app.example.org} (scheme, host and port as the browser
     *     sends them); empty: no browser app on another origin may call the server
     * @param maxAge how long a browser may cache a preflight's answer
     */
    public record Cors(
            @NotNull @DefaultValue("") List<String> allowedOrigins,
            @NotNull @DefaultValue("1h") Duration maxAge) {}
}
