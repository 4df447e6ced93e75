package org.mcsfhir.server.telemetry;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.mcsfhir.server.rest.RestfulServerContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The telemetry feature: the gateway endpoint (a Spring MVC controller, since its body is not FHIR), the sample table,
 * the background materializer of window Observations, and the {@code $telemetry-series} operation on the FHIR
 * endpoint.
 */
@Configuration
class TelemetryConfig {

    @Bean
    SampleStore telemetrySampleStore(DataSource dataSource, Clock clock) {
        SampleStore store = new SampleStore(dataSource, clock);
        store.createSchema();
        return store;
    }

    /** For other features (the completeness worklist): when a pump last reported. */
    @Bean
    TelemetryActivity telemetryActivity(SampleStore store) {
        return deviceId -> Optional.ofNullable(store.lastSampleMs(deviceId)).map(Instant::ofEpochMilli);
    }

    @Bean
    DeviceResolver telemetryDeviceResolver(DaoRegistry daos, TelemetryProperties properties) {
        return new DeviceResolver(daos, properties.deviceCacheTtl());
    }

    @Bean
    IngestAdmission telemetryIngestAdmission(TelemetryProperties properties) {
        return new IngestAdmission(
                properties.maxConcurrentRequests(),
                properties.maxWaitingRequests(),
                properties.maxWait().toMillis());
    }

    /** For the HL7 v2 listener ({@code telemetry.mllp}): the same checks, admission and store as the gateway. */
    @Bean
    TelemetryIntake telemetryIntake(
            TelemetryProperties properties, DeviceResolver devices, SampleStore store, IngestAdmission admission) {
        return new TelemetryIntake(properties, devices, store, admission);
    }

    @Bean
    WindowMaterializer telemetryWindowMaterializer(
            TelemetryProperties properties,
            SampleStore store,
            DeviceResolver devices,
            DaoRegistry daos,
            IFhirSystemDao<Bundle, Meta> system,
            PlatformTransactionManager transactionManager,
            DataSource dataSource,
            MeterRegistry meters,
            Clock clock) {
        return new WindowMaterializer(
                properties, store, devices, daos, system, transactionManager, dataSource, clock, meters);
    }

    @Bean
    RestfulServerContributor telemetrySeriesOperation(
            TelemetryProperties properties, DeviceResolver devices, SampleStore store) {
        TelemetrySeriesProvider provider = new TelemetrySeriesProvider(properties, devices, store);
        return server -> server.registerProvider(provider);
    }
}
