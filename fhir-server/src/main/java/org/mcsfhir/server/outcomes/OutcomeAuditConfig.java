package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Clock;
import org.mcsfhir.server.cases.CaseTable;
import org.mcsfhir.server.registry.Pseudonymiser;
import org.mcsfhir.server.registry.RegistryAccess;
import org.mcsfhir.server.rest.RestfulServerContributor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The outcome audit feature: registers {@code Measure/$audit}, {@code $audit-dataset} and {@code $audit-charts}. */
@Configuration
class OutcomeAuditConfig {

    @Bean
    RestfulServerContributor outcomeAuditOperation(DaoRegistry daos, OutcomeAuditProperties properties) {
        OutcomeAuditProvider provider = new OutcomeAuditProvider(new AuditCohortLoader(daos, properties),
                new MeasureReportWriter(properties.smallCellThreshold(), Clock.systemUTC()), daos, Clock.systemUTC());
        return server -> server.registerProvider(provider);
    }

    /** {@code Measure/$audit-charts}: the dashboard's series, from the same cohort as {@code $audit}. */
    @Bean
    RestfulServerContributor auditChartsOperation(DaoRegistry daos, OutcomeAuditProperties properties) {
        AuditChartsProvider provider = new AuditChartsProvider(new AuditCohortLoader(daos, properties),
                new AuditChartsWriter(properties.smallCellThreshold()), daos, Clock.systemUTC());
        return server -> server.registerProvider(provider);
    }

    /** {@code Measure/$audit-dataset}; pseudonymised by the registry's policy (security's, from token grants). */
    @Bean
    RestfulServerContributor auditDatasetOperation(CaseTable table, Pseudonymiser pseudonymiser,
            ObjectProvider<RegistryAccess> access, DaoRegistry daos) {
        AuditDatasetProvider provider = new AuditDatasetProvider(table, pseudonymiser,
                access.getIfAvailable(() -> request -> false), daos);
        return server -> server.registerProvider(provider);
    }
}
