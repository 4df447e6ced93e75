package org.mcsfhir.server.cases;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.mcsfhir.server.rest.RestfulServerContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The case table feature: the {@code mcs_case} table (created if missing, rebuilt when its definition version
 * changed), the storage hook that keeps it current on every write on this node, and its admin operations.
 */
@Configuration
class CaseTableConfig {

    @Bean
    CaseTable caseTable(DataSource dataSource) {
        CaseTable table = new CaseTable(dataSource);
        table.createSchema();
        return table;
    }

    @Bean(destroyMethod = "close")
    CaseTableKeeper caseTableKeeper(
            CaseTable table, DaoRegistry daos, MeterRegistry meters, IInterceptorService storageInterceptors) {
        CaseTableKeeper keeper = new CaseTableKeeper(table, new CaseStore(daos), meters);
        // on the storage layer, so that every way a resource is written (REST, transaction, internal) is seen
        storageInterceptors.registerInterceptor(new CaseTableUpkeep(keeper));
        keeper.rebuildIfOutdated();
        return keeper;
    }

    @Bean
    RestfulServerContributor caseTableOperations(CaseTableKeeper keeper, CaseTable table) {
        CaseTableProvider provider = new CaseTableProvider(keeper, table);
        return server -> server.registerProvider(provider);
    }
}
