package org.mcsfhir.server.telemetry.mllp;

import ca.uhn.fhir.context.FhirContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import org.mcsfhir.server.guide.GuideInstaller;
import org.mcsfhir.server.security.CentreDirectory;
import org.mcsfhir.server.security.GatewayAudit;
import org.mcsfhir.server.telemetry.TelemetryIntake;
import org.mcsfhir.server.telemetry.TelemetryProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * HL7 v2 (IHE PCD-01 ORU^R01) over MLLP into the telemetry store, on when {@code mcs.telemetry.mllp.port} is set;
 * docs/telemetry.md, "HL7 v2 over MLLP".
 */
@Configuration
@EnableConfigurationProperties(MllpProperties.class)
class MllpConfig {

    @Bean
    @ConditionalOnExpression("${mcs.telemetry.mllp.port:0} > 0")
    MllpListener mllpListener(
            MllpProperties properties,
            Environment environment,
            TelemetryIntake intake,
            CentreDirectory centres,
            GatewayAudit audit,
            FhirContext fhir,
            TelemetryProperties telemetry,
            Clock clock)
            throws UnknownHostException {
        String host = environment.getProperty("server.address", "");
        InetAddress address = host.isBlank() ? null : InetAddress.getByName(host);
        ChannelMap channels = ChannelMap.fromGuide(GuideInstaller.guidePackage(), fhir);
        Pcd01Application application = new Pcd01Application(
                new SenderDirectory(properties.senders()),
                channels,
                intake,
                centres,
                audit,
                properties.rememberedControlIds(),
                telemetry.deviceCacheTtl(),
                clock);
        return new MllpListener(properties, address, application);
    }
}
