package org.mcsfhir.server.registry;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.mcsfhir.server.rest.RestfulServerContributor;
import org.mcsfhir.server.validation.ProfileSelector;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The registry feature: the {@code $registry-case} operation (identifiable and pseudonymised), one Group per
 * implanting centre for Group-level Bulk Data export, and the default
 * {@link RegistryAccess} policy, which pseudonymises only when the client asks; a {@link RegistryAccess} bean declared
 * by another feature (security, from token grants) replaces that policy.
 */
@Configuration
class RegistryConfig {

    /** Without a {@link RegistryAccess} bean from another feature: pseudonymise only when the client asks. */
    static final RegistryAccess ONLY_WHEN_ASKED = request -> false;

    @Bean
    CentreGroups centreGroups(DaoRegistry daos, IInterceptorService storageInterceptors) {
        CentreGroups centreGroups = new CentreGroups(daos);
        // on the storage layer, so that every way a Patient is written (REST, transaction, internal) is seen
        storageInterceptors.registerInterceptor(centreGroups);
        return centreGroups;
    }

    /** Centre Groups are the server's: clients cannot write them, and they never block a Patient's delete. */
    @Bean
    CentreGroupGuard centreGroupGuard(IInterceptorService storageInterceptors) {
        CentreGroupGuard guard = new CentreGroupGuard();
        storageInterceptors.registerInterceptor(guard);
        return guard;
    }

    @Bean
    Pseudonymiser registryPseudonymiser(RegistryProperties properties, DataSource dataSource, FhirContext fhir) {
        return new Pseudonymiser(PseudonymSecret.resolve(properties, dataSource), fhir);
    }

    @Bean
    PseudonymisedBulkExport pseudonymisedBulkExport(
            ObjectProvider<RegistryAccess> access,
            Pseudonymiser pseudonymiser,
            DaoRegistry daos,
            IInterceptorService storageInterceptors) {
        PseudonymisedBulkExport export = new PseudonymisedBulkExport(policy(access), pseudonymiser, daos);
        // on the storage layer: the export job's file-writing step calls its hooks there, not on the REST server
        storageInterceptors.registerInterceptor(export);
        return export;
    }

    @Bean
    RestfulServerContributor registryCaseOperation(
            DaoRegistry daos,
            FhirContext fhir,
            RegistryProperties properties,
            Pseudonymiser pseudonymiser,
            ObjectProvider<RegistryAccess> access,
            Clock clock) {
        RegistryCaseAssembler assembler =
                new RegistryCaseAssembler(daos, ProfileSelector.fromClasspath(fhir), properties, clock);
        RegistryCaseProvider provider = new RegistryCaseProvider(assembler, pseudonymiser, policy(access));
        return server -> server.registerProvider(provider);
    }

    /** Another feature's {@link RegistryAccess} (security: from token grants) if there is one, else on request only. */
    private static RegistryAccess policy(ObjectProvider<RegistryAccess> access) {
        return access.getIfAvailable(() -> ONLY_WHEN_ASKED);
    }
}
