package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Clock;
import org.mcsfhir.server.rest.RestfulServerContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The outcome audit feature: registers {@code Measure/$audit} on the FHIR endpoint. */
@Configuration
class OutcomeAuditConfig {

    @Bean
    RestfulServerContributor outcomeAuditOperation(DaoRegistry daos, OutcomeAuditProperties properties) {
        OutcomeAuditProvider provider = new OutcomeAuditProvider(new AuditCohortLoader(daos, properties),
                new MeasureReportWriter(properties.smallCellThreshold(), Clock.systemUTC()), daos, Clock.systemUTC());
        return server -> server.registerProvider(provider);
    }
}
