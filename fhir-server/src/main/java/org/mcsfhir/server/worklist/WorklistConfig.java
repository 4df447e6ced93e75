package org.mcsfhir.server.worklist;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Clock;
import org.mcsfhir.server.rest.RestfulServerContributor;
import org.mcsfhir.server.telemetry.TelemetryActivity;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The completeness worklist (issue #7): per insertion, the registry data that is missing or overdue, kept as
 * {@code mcs-worklist-task} Tasks owned by the implanting centre, opened and closed by the server itself. A scheduled
 * pass catches what time changes (due dates, silent pumps); a storage hook re-evaluates an insertion after a write
 * that concerns it; {@code $worklist-refresh} does either on demand. Coordinators read it with a standard Task
 * search ({@code GET /fhir/Task?owner=Organization/x&status=requested}).
 */
@Configuration
class WorklistConfig {

    @Bean
    WorklistReconciler worklistReconciler(
            DaoRegistry daos, TelemetryActivity telemetry, WorklistProperties properties, Clock clock) {
        return new WorklistReconciler(
                daos,
                new CaseSnapshotLoader(daos, telemetry),
                new WorklistRules(properties.supportMaxDuration(), properties.telemetrySilence()),
                clock);
    }

    @Bean
    WorklistRunner worklistRunner(
            WorklistReconciler reconciler,
            WorklistProperties properties,
            DaoRegistry daos,
            IInterceptorService storageInterceptors) {
        WorklistRunner runner = new WorklistRunner(reconciler);
        if (properties.enabled()) {
            // on the storage layer, so that every way data is written (REST, transaction, internal) is seen
            storageInterceptors.registerInterceptor(new WorklistTrigger(runner, daos));
            runner.schedulePasses(
                    properties.initialDelay().toMillis(), properties.interval().toMillis());
        }
        return runner;
    }

    /** Whether or not the worklist runs, its Tasks stay the server's and never block a delete. */
    @Bean
    WorklistTaskGuard worklistTaskGuard(IInterceptorService storageInterceptors) {
        WorklistTaskGuard guard = new WorklistTaskGuard();
        storageInterceptors.registerInterceptor(guard);
        return guard;
    }

    @Bean
    RestfulServerContributor worklistRefreshOperation(
            WorklistRunner runner, WorklistReconciler reconciler, WorklistProperties properties) {
        WorklistRefreshProvider provider = new WorklistRefreshProvider(runner, reconciler, properties.refreshTimeout());
        return server -> server.registerProvider(provider);
    }
}
