package org.mcsfhir.server.guide;

import ca.uhn.fhir.batch2.config.Batch2JobRegisterer;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.term.api.ITermDeferredStorageSvc;
import ca.uhn.fhir.jpa.term.api.ITermReadSvc;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The implementation guide as installed content of the server. */
@Configuration
class GuideConfig {

    @Bean
    GuideInstaller guideInstaller(
            IPackageInstallerSvc packageInstaller,
            Batch2JobRegisterer jobRegisterer,
            ITermDeferredStorageSvc deferredTerminology,
            ITermReadSvc terminology,
            DataSource dataSource,
            Clock clock) {
        return new GuideInstaller(
                packageInstaller,
                jobRegisterer,
                () -> {
                    deferredTerminology.saveAllDeferred();
                    terminology.preExpandDeferredValueSetsToTerminologyTables();
                },
                new InstalledGuide(dataSource, clock));
    }

    /** Guide content is changed by a guide release only, never through the API. */
    @Bean
    GuideContentGuard guideContentGuard(IInterceptorService storageInterceptors) {
        GuideContentGuard guard = new GuideContentGuard();
        storageInterceptors.registerInterceptor(guard);
        return guard;
    }
}
