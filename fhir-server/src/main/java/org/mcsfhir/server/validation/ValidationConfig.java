package org.mcsfhir.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.cache.IResourceChangeListenerRegistry;
import ca.uhn.fhir.jpa.config.JpaConfig;
import ca.uhn.fhir.validation.FhirValidator;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.mcsfhir.terminology.CachingTerminologyService;
import org.mcsfhir.terminology.GuideTerminology;
import org.mcsfhir.terminology.TerminologyCacheSettings;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Validation on write against the guide: the guide's package loaded in memory behind the caching terminology
 * service, HAPI's instance validator on top, and the storage interceptor that applies it to every write.
 */
@Configuration
class ValidationConfig {

    @Bean
    CachingTerminologyService guideTerminologyService(FhirContext fhir, ValidationProperties properties) {
        return new CachingTerminologyService(
                GuideTerminology.chain(fhir, GuideTerminology.PACKAGE_ON_CLASSPATH),
                new TerminologyCacheSettings(
                        properties.cache().maximumEntries(), properties.cache().expireAfterWrite()));
    }

    @Bean
    FhirValidator guideValidator(FhirContext fhir, CachingTerminologyService terminology) {
        FhirInstanceValidator module = new FhirInstanceValidator(terminology);
        // Extensions from other guides (UK Core, hospital-local) may ride along; only ours are checked in depth.
        module.setAnyExtensionsAllowed(true);
        FhirValidator validator = fhir.newValidator();
        validator.registerValidatorModule(module);
        return validator;
    }

    @Bean
    ValidatorWarmUp validatorWarmUp(FhirValidator guideValidator, ValidationProperties properties) {
        return new ValidatorWarmUp(guideValidator, properties.mode() != ValidationProperties.Mode.OFF);
    }

    @Bean
    ProfileValidationInterceptor profileValidationInterceptor(
            FhirContext fhir, FhirValidator guideValidator, ValidationProperties properties,
            IInterceptorService storageInterceptors) {
        ProfileValidationInterceptor interceptor = new ProfileValidationInterceptor(
                fhir, guideValidator, ProfileSelector.fromClasspath(fhir), properties.mode());
        // registered with the storage layer's broadcaster so that every write path is covered, not only REST
        storageInterceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    @Bean
    MeterBinder terminologyCacheMetrics(CachingTerminologyService terminology) {
        return registry -> terminology.caches().forEach((name, cache) -> CaffeineCacheMetrics.monitor(registry, cache, name));
    }

    /** Every node's terminology operations follow the stored terminology within mcs.validation.terminology-refresh. */
    @Bean
    StoredTerminologySync storedTerminologySync(IResourceChangeListenerRegistry changes,
            @Qualifier(JpaConfig.JPA_VALIDATION_SUPPORT_CHAIN) IValidationSupport storedTerminology,
            ValidationProperties properties) {
        return new StoredTerminologySync(changes, storedTerminology, properties.terminologyRefresh());
    }
}
