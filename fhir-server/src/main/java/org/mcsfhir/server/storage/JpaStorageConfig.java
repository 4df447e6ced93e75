package org.mcsfhir.server.storage;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.batch2.maintenance.JobMaintenanceServiceImpl;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.IDaoRegistry;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.api.model.HistoryCountModeEnum;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HibernatePropertiesProvider;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.config.util.ResourceCountCacheUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.entity.StorageSettings;
import ca.uhn.fhir.jpa.provider.DaoRegistryResourceSupportedSvc;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.search.IStaleSearchDeletingSvc;
import ca.uhn.fhir.jpa.search.StaleSearchDeletingSvcImpl;
import ca.uhn.fhir.jpa.util.ResourceCountCache;
import ca.uhn.fhir.rest.api.IResourceSupportedSvc;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.dialect.Dialect;
import org.mcsfhir.server.config.McsFhirProperties;
import org.mcsfhir.server.rest.RestfulServerContributor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.orm.jpa.JpaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * HAPI FHIR JPA storage (R4) on whatever {@link DataSource} Spring Boot built: H2 in a file by default, PostgreSQL
 * with the {@code postgres} profile. Only the HAPI modules the product uses are imported: the JPA core and the
 * batch2 jobs that power Bulk Data export; no MDM, subscriptions, clinical reasoning or full-text search.
 */
@Configuration
@EnableConfigurationProperties(JpaProperties.class)
@Import({JpaR4Config.class, JpaBatch2Config.class, Batch2JobsConfig.class, ThreadPoolFactoryConfig.class})
public class JpaStorageConfig {

    @Bean
    public JpaStorageSettings jpaStorageSettings() {
        JpaStorageSettings settings = new JpaStorageSettings();
        // References must point at resources that exist: a registry case with dangling links is worthless.
        settings.setEnforceReferentialIntegrityOnWrite(true);
        settings.setAutoCreatePlaceholderReferenceTargets(false);
        settings.setIndexMissingFields(StorageSettings.IndexEnabledEnum.DISABLED);
        settings.setAllowMultipleDelete(false);
        settings.setDefaultSearchParamsCanBeOverridden(true);
        // HAPI would answer a repeated search or history request from a cached result list for 60 s, so a client
        // could miss what it has just written. Registries and EHRs must read their own writes.
        settings.setReuseCachedSearchResultsForMillis(null);
        // For the same reason history counts are counted, not cached: HAPI 8.8.0 keeps a history count for a minute
        // (hapifhir/hapi-fhir#7897, fixed in 8.12), and a resource at version 4 listed 2 versions.
        settings.setHistoryCountMode(HistoryCountModeEnum.COUNT_ACCURATE);
        // Let a batch2 job (Bulk Data export) move to its next step as soon as the current one finishes, instead of
        // waiting for the next once-a-minute maintenance pass: an export of a small cohort takes seconds, not minutes.
        settings.setJobFastTrackingEnabled(true);
        return settings;
    }

    /**
     * A job whose step fans out into several chunks (any export beyond a few hundred resources) leaves fast-tracking
     * and waits for the maintenance pass for each remaining step; HAPI runs it once a minute, which made a system
     * export of 18,000 resources take 143 s of which 120 s were waiting.
     */
    @Bean
    public Duration batchJobInterval(IJobMaintenanceService maintenance, McsFhirProperties properties) {
        Duration interval = properties.fhir().batchJobInterval();
        if (maintenance instanceof JobMaintenanceServiceImpl scheduled) {
            scheduled.setScheduledJobFrequencyMillis(interval.toMillis());
        }
        return interval;
    }

    @Bean
    BulkExportPacer bulkExportPacer(IJobMaintenanceService maintenance, IInterceptorService storageInterceptors) {
        BulkExportPacer pacer = new BulkExportPacer(maintenance);
        storageInterceptors.registerInterceptor(pacer);
        return pacer;
    }

    /** Status polls of a running export suggest the maintenance interval as their {@code Retry-After}. */
    @Bean
    FilterRegistrationBean<ExportPollRetryAfterFilter> exportPollRetryAfterFilter(McsFhirProperties properties) {
        return new FilterRegistrationBean<>(new ExportPollRetryAfterFilter(
                properties.fhir().batchJobInterval().toSeconds()));
    }

    /** Features say through {@link DeleteExemption} beans which of their referrers do not block a delete. */
    @Bean
    StillReferencedGuard stillReferencedGuard(
            EntityManagerFactory entityManagers,
            DaoRegistry daos,
            ObjectProvider<DeleteExemption> exemptions,
            IInterceptorService storageInterceptors) {
        StillReferencedGuard guard = new StillReferencedGuard(
                entityManagers, daos, () -> exemptions.orderedStream().toList());
        storageInterceptors.registerInterceptor(guard);
        return guard;
    }

    @Bean
    StorableValues storableValues(FhirContext fhirContext, IInterceptorService storageInterceptors) {
        StorableValues check = new StorableValues(fhirContext);
        storageInterceptors.registerInterceptor(check);
        return check;
    }

    /** Each transaction or batch entry says what to do with it, or the whole Bundle is refused (400, not HAPI's 500). */
    @Bean
    BundleEntryRequests bundleEntryRequests(IInterceptorService storageInterceptors) {
        BundleEntryRequests check = new BundleEntryRequests();
        storageInterceptors.registerInterceptor(check);
        return check;
    }

    /** If-Match on every update, patch and delete; on the FHIR endpoint (its parse runs on the incoming request). */
    @Bean
    RestfulServerContributor ifMatchPreconditions() {
        return server -> server.registerInterceptor(new IfMatchPreconditions());
    }

    /** An empty or shapeless PATCH body is a 400 naming what is wrong, not HAPI's 500. */
    @Bean
    RestfulServerContributor patchBodies(FhirContext fhirContext) {
        return server -> server.registerInterceptor(new PatchBodies(fhirContext));
    }

    /** All-digit client ids and references to other servers stay refused, with the rule and how to comply. */
    @Bean
    RestfulServerContributor idAndReferenceRules() {
        return server -> server.registerInterceptor(new IdAndReferenceRules());
    }

    /** The loser of two concurrent conditional creates gets the winner's resource (200), not a constraint error. */
    @Bean
    RestfulServerContributor conditionalWriteRetry() {
        return server -> server.registerInterceptor(new ConditionalWriteRetry());
    }

    @Bean
    public PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Primary
    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            JpaProperties jpaProperties,
            DataSource dataSource) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        Map<String, Object> properties = new HashMap<>(jpaProperties.getProperties());
        properties.putIfAbsent(AvailableSettings.HBM2DDL_AUTO, "update");
        properties.putIfAbsent(AvailableSettings.STATEMENT_BATCH_SIZE, "20");
        properties.putIfAbsent(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
        properties.putIfAbsent(AvailableSettings.USE_QUERY_CACHE, "false");
        properties.putIfAbsent("hibernate.search.enabled", "false");
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setJpaPropertyMap(properties);
        factory.setDataSource(dataSource);
        return factory;
    }

    @Bean
    @Primary
    public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }

    /** HAPI asks this for the SQL dialect; we name it explicitly per database in configuration. */
    @Primary
    @Bean
    public HibernatePropertiesProvider hibernatePropertiesProvider(JpaProperties jpaProperties) {
        String dialectClass = jpaProperties.getProperties().get("hibernate.dialect");
        return new HibernatePropertiesProvider() {
            private final Dialect dialect = instantiate(dialectClass);

            @Override
            public Dialect getDialect() {
                return dialect;
            }
        };
    }

    private static Dialect instantiate(String dialectClass) {
        try {
            return (Dialect)
                    Class.forName(dialectClass).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | NullPointerException e) {
            throw new IllegalStateException(
                    "spring.jpa.properties.hibernate.dialect must name a HAPI FHIR dialect class, got: " + dialectClass,
                    e);
        }
    }

    @Bean
    public IStaleSearchDeletingSvc staleSearchDeletingSvc() {
        return new StaleSearchDeletingSvcImpl();
    }

    @Bean
    public DatabaseBackedPagingProvider databaseBackedPagingProvider(McsFhirProperties properties) {
        DatabaseBackedPagingProvider paging = new DatabaseBackedPagingProvider();
        paging.setDefaultPageSize(properties.fhir().defaultPageSize());
        paging.setMaximumPageSize(properties.fhir().maxPageSize());
        return paging;
    }

    @Bean
    public IResourceSupportedSvc resourceSupportedSvc(IDaoRegistry daoRegistry) {
        return new DaoRegistryResourceSupportedSvc(daoRegistry);
    }

    @Bean(name = "myResourceCountsCache")
    public ResourceCountCache resourceCountsCache(IFhirSystemDao<?, ?> systemDao) {
        return ResourceCountCacheUtil.newResourceCountCache(systemDao);
    }
}
