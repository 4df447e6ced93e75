package org.mcsfhir.server.telemetry.mllp;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The HL7 v2 listener ({@code mcs.telemetry.mllp.*}, docs/telemetry.md "HL7 v2 over MLLP").
 *
 * @param port TCP port of the listener on {@code server.address}; 0 = no listener
 * @param maxFrameSize a frame (one message) larger than this closes the connection
 * @param idleTimeout a connection that sends nothing for this long is closed
 * @param maxConnections connections open at once; one more is closed as soon as it is accepted
 * @param rememberedControlIds message control ids (MSH-10) per node remembered to acknowledge a re-sent message at once
 * @param senders who may send: sending facility (MSH-4) and application (MSH-3) mapped to one implanting centre
 * @param tls TLS with client certificates, off while {@code key-store} is empty
 */
@Validated
@ConfigurationProperties(prefix = "mcs.telemetry.mllp")
public record MllpProperties(
        @Min(0) @Max(65535) @DefaultValue("0") int port,
        @NotNull @DefaultValue("1MB") DataSize maxFrameSize,
        @NotNull @DefaultValue("5m") Duration idleTimeout,
        @Min(1) @DefaultValue("32") int maxConnections,
        @Min(0) @DefaultValue("10000") int rememberedControlIds,
        @Valid @DefaultValue List<Sender> senders,
        @Valid @NotNull @DefaultValue Tls tls) {

    /**
     * One sending system.
     *
     * @param facility MSH-4.1 (namespace id of the sending facility), compared exactly
     * @param application MSH-3.1; empty = any application of that facility
     * @param centre logical id of the implanting centre's Organization its messages are for
     */
    public record Sender(
            @NotBlank String facility,
            @DefaultValue("") String application,
            @NotBlank String centre) {}

    /**
     * @param keyStore path of the PKCS#12 key store with the server's key and certificate; empty = plain TCP
     * @param keyStorePassword its password
     * @param trustStore path of the PKCS#12 store of the CA certificates client certificates must chain to
     * @param trustStorePassword its password
     */
    public record Tls(
            @DefaultValue("") String keyStore,
            @DefaultValue("") String keyStorePassword,
            @DefaultValue("") String trustStore,
            @DefaultValue("") String trustStorePassword) {

        boolean enabled() {
            return !keyStore.isBlank();
        }
    }
}
