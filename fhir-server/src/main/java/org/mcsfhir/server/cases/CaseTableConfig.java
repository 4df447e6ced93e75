package org.mcsfhir.server.cases;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.mcsfhir.server.rest.RestfulServerContributor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The case table feature: the {@code mcs_case} table (created if missing, rebuilt when its definition version
 * changed), the storage hook that keeps it current on every write on this node, and its admin operations.
 */
@Configuration
@EnableConfigurationProperties(CaseTableProperties.class)
class CaseTableConfig {

    private static final Logger log = LoggerFactory.getLogger(CaseTableConfig.class);

    @Bean
    CaseTable caseTable(DataSource dataSource) {
        CaseTable table = new CaseTable(dataSource);
        table.createSchema();
        return table;
    }

    @Bean(destroyMethod = "close")
    CaseTableKeeper caseTableKeeper(
            CaseTable table,
            DaoRegistry daos,
            MeterRegistry meters,
            IInterceptorService storageInterceptors,
            CaseTableProperties properties) {
        CaseTableKeeper keeper = new CaseTableKeeper(table, new CaseStore(daos), meters, properties.upkeepDelay());
        if (properties.upkeep()) {
            // on the storage layer, so that every way a resource is written (REST, transaction, internal) is seen
            storageInterceptors.registerInterceptor(new CaseTableUpkeep(keeper));
        } else {
            log.warn("MCS-0004: mcs.cases.upkeep is off: the case table does not follow writes, so the outcome audit"
                    + " answers from stale rows until $case-table-rebuild (for measuring the upkeep's cost only)");
        }
        keeper.rebuildIfOutdated();
        return keeper;
    }

    @Bean
    RestfulServerContributor caseTableOperations(CaseTableKeeper keeper, CaseTable table) {
        CaseTableProvider provider = new CaseTableProvider(keeper, table);
        return server -> server.registerProvider(provider);
    }
}
