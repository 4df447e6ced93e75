package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Clock;
import java.util.Set;
import org.mcsfhir.server.cases.CaseTable;
import org.mcsfhir.server.cases.CaseTableKeeper;
import org.mcsfhir.server.guide.GuideInstaller;
import org.mcsfhir.server.registry.Pseudonymiser;
import org.mcsfhir.server.registry.RegistryAccess;
import org.mcsfhir.server.rest.RestfulServerContributor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The outcome audit feature: registers {@code Measure/$audit}, {@code $audit-dataset} and {@code $audit-charts}. */
@Configuration
class OutcomeAuditConfig {

    /** The guide's ConceptMaps to complication types and strata, read once at start-up. */
    @Bean
    StratumMaps stratumMaps(FhirContext fhir) {
        return StratumMaps.fromGuide(GuideInstaller.guidePackage(), fhir);
    }

    /** The audit cohort, read from the case table. */
    @Bean
    AuditCohortLoader auditCohortLoader(
            CaseTable table, CaseTableKeeper keeper, OutcomeAuditProperties properties, StratumMaps maps) {
        return new AuditCohortLoader(table, keeper, properties, maps);
    }

    @Bean
    RestfulServerContributor outcomeAuditOperation(
            AuditCohortLoader loader, DaoRegistry daos, OutcomeAuditProperties properties, Clock clock) {
        OutcomeAuditProvider provider = new OutcomeAuditProvider(
                loader, new MeasureReportWriter(properties.smallCellThreshold(), clock), daos, clock);
        return server -> {
            server.registerProvider(provider);
            // thousands of numbers each: sent in large chunks, not a socket write per number
            server.registerInterceptor(
                    new BufferedReportWriter(Set.of(OutcomeAuditProvider.OPERATION, AuditChartsProvider.OPERATION)));
        };
    }

    /** {@code Measure/$audit-charts}: the dashboard's series, from the same cohort as {@code $audit}. */
    @Bean
    RestfulServerContributor auditChartsOperation(
            AuditCohortLoader loader, DaoRegistry daos, OutcomeAuditProperties properties, Clock clock) {
        AuditChartsProvider provider =
                new AuditChartsProvider(loader, new AuditChartsWriter(properties.smallCellThreshold()), daos, clock);
        return server -> server.registerProvider(provider);
    }

    /** {@code Measure/$audit-dataset}; pseudonymised by the registry's policy (security's, from token grants). */
    @Bean
    RestfulServerContributor auditDatasetOperation(
            AuditCohortLoader cohort,
            Pseudonymiser pseudonymiser,
            ObjectProvider<RegistryAccess> access,
            DaoRegistry daos) {
        AuditDatasetProvider provider =
                new AuditDatasetProvider(cohort, pseudonymiser, access.getIfAvailable(() -> request -> false), daos);
        return server -> server.registerProvider(provider);
    }
}
