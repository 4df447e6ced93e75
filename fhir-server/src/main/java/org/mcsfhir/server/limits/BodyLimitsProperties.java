package org.mcsfhir.server.limits;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code mcs.limits}: what one request body may hold. Defaults are repeated in {@code application.yaml};
 * the reasons are in {@code docs/security.md} ("Request body limits"). The nesting depth stays
 * {@code mcs.security.max-json-depth} and the size on the wire {@code mcs.fhir.max-request-size}.
 *
 * @param maxDecompressedSize a gzip body is refused with 413 once it inflates beyond this
 * @param maxValues JSON values (objects, arrays, scalars) or XML elements in one body
 * @param maxResourceValues values in one resource (a Bundle's entries counted one by one)
 * @param maxArrayLength items in one JSON array, child elements of one XML element
 * @param maxStringLength bytes in one JSON string, characters in one XML attribute value or text; base64 {@code data}
 *     exempt
 * @param maxExtensions entries in one element's {@code extension} (or {@code modifierExtension})
 * @param maxNumberLength characters in one JSON number literal
 * @param maxTransactionEntries entries in one transaction or batch Bundle; more are refused with 413
 * @param largeBodySize bodies larger than this (after decompression) count against {@code maxConcurrentLargeBodies}
 * @param maxConcurrentLargeBodies large bodies processed at once; one more is refused with 429 and Retry-After
 */
@Validated
@ConfigurationProperties(prefix = "mcs.limits")
public record BodyLimitsProperties(
        @NotNull @DefaultValue("10MB") DataSize maxDecompressedSize,
        @Min(1000) @DefaultValue("1000000") int maxValues,
        @Min(100) @DefaultValue("2500") int maxResourceValues,
        @Min(100) @DefaultValue("10000") int maxArrayLength,
        @Min(1024) @DefaultValue("1048576") int maxStringLength,
        @Min(10) @DefaultValue("200") int maxExtensions,
        @Min(32) @DefaultValue("64") int maxNumberLength,
        @Min(1) @DefaultValue("1000") int maxTransactionEntries,
        @NotNull @DefaultValue("1MB") DataSize largeBodySize,
        @Min(1) @DefaultValue("1") int maxConcurrentLargeBodies) {

    BodyLimits bodyLimits(int maxDepth) {
        return new BodyLimits(
                maxDepth,
                maxValues,
                maxResourceValues,
                maxArrayLength,
                maxStringLength,
                maxExtensions,
                maxNumberLength,
                maxTransactionEntries);
    }
}
