package org.mcsfhir.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.cache.IResourceChangeListenerRegistry;
import ca.uhn.fhir.jpa.config.JpaConfig;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IInstanceValidatorModule;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.mcsfhir.terminology.CachingTerminologyService;
import org.mcsfhir.terminology.GuideTerminology;
import org.mcsfhir.terminology.TerminologyCacheSettings;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Validation on write against the guide: the guide's package loaded in memory behind the caching terminology
 * service, HAPI's instance validator on top, the storage interceptor that applies it to every write, and the same
 * check behind {@code $validate}.
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
    GuideConformance guideConformance(FhirContext fhir, FhirValidator guideValidator) {
        return new GuideConformance(guideValidator, ProfileSelector.fromClasspath(fhir));
    }

    @Bean
    ProfileValidationInterceptor profileValidationInterceptor(
            FhirContext fhir,
            GuideConformance guideConformance,
            ValidationProperties properties,
            IInterceptorService storageInterceptors) {
        ProfileValidationInterceptor interceptor =
                new ProfileValidationInterceptor(fhir, guideConformance, properties.mode());
        // registered with the storage layer's broadcaster so that every write path is covered, not only REST
        storageInterceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    /**
     * HAPI's JPA DAOs look their instance validator up by type ({@code getBean(IInstanceValidatorModule.class)}) and
     * use it only for {@code $validate}: as the primary one, this makes {@code $validate} answer as a write does.
     */
    @Bean
    @Primary
    IInstanceValidatorModule guideValidateOperation(
            GuideConformance guideConformance, CachingTerminologyService guideTerminologyService) {
        return new GuideValidateOperation(guideConformance, guideTerminologyService);
    }

    @Bean
    MeterBinder terminologyCacheMetrics(CachingTerminologyService terminology) {
        return registry ->
                terminology.caches().forEach((name, cache) -> CaffeineCacheMetrics.monitor(registry, cache, name));
    }

    /** Every node's terminology operations follow the stored terminology within mcs.validation.terminology-refresh. */
    @Bean
    StoredTerminologySync storedTerminologySync(
            IResourceChangeListenerRegistry changes,
            @Qualifier(JpaConfig.JPA_VALIDATION_SUPPORT_CHAIN) IValidationSupport storedTerminology,
            ValidationProperties properties) {
        return new StoredTerminologySync(changes, storedTerminology, properties.terminologyRefresh());
    }
}
