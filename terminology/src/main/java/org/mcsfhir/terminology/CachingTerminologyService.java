package org.mcsfhir.terminology;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.LookupCodeRequest;
import ca.uhn.fhir.context.support.TranslateConceptResults;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.context.support.ValueSetExpansionOptions;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Caffeine caches in front of a validation support chain for the four costly terminology questions: is this code
 * valid (in this value set), what is this code, what does this value set expand to, what does this concept map
 * translate to. Profile validation asks the same questions thousands of times for the same few codes; answering from
 * memory is what makes validated writes cheap. Caches record statistics so they can be published as metrics.
 *
 * <p>Negative answers are cached too (as {@link Optional#empty()}): an unknown code stays unknown until the content
 * changes, and the expiry bounds how long a change takes to be seen.
 */
public class CachingTerminologyService implements IValidationSupport {

    private final IValidationSupport delegate;
    private final Cache<String, Optional<CodeValidationResult>> validateCode;
    private final Cache<String, Optional<LookupCodeResult>> lookupCode;
    private final Cache<String, Optional<ValueSetExpansionOutcome>> expandValueSet;
    private final Cache<String, Optional<TranslateConceptResults>> translateConcept;

    public CachingTerminologyService(IValidationSupport delegate, TerminologyCacheSettings settings) {
        this.delegate = Objects.requireNonNull(delegate);
        this.validateCode = newCache(settings);
        this.lookupCode = newCache(settings);
        this.expandValueSet = newCache(settings);
        this.translateConcept = newCache(settings);
    }

    private static <V> Cache<String, V> newCache(TerminologyCacheSettings settings) {
        return Caffeine.newBuilder()
                .maximumSize(settings.maximumEntries())
                .expireAfterWrite(settings.expireAfterWrite())
                .recordStats()
                .build();
    }

    /** The caches by name, for metrics. */
    public Map<String, Cache<String, ?>> caches() {
        Map<String, Cache<String, ?>> caches = new LinkedHashMap<>();
        caches.put("terminology.validate-code", validateCode);
        caches.put("terminology.lookup", lookupCode);
        caches.put("terminology.expand", expandValueSet);
        caches.put("terminology.translate", translateConcept);
        return caches;
    }

    public void invalidateAll() {
        caches().values().forEach(Cache::invalidateAll);
    }

    @Override
    public FhirContext getFhirContext() {
        return delegate.getFhirContext();
    }

    @Override
    public String getName() {
        return "mcs-fhir caching terminology service";
    }

    @Override
    public CodeValidationResult validateCode(
            ValidationSupportContext context,
            ConceptValidationOptions options,
            String system,
            String code,
            String display,
            String valueSetUrl) {
        String key = key("code", options, system, code, display, valueSetUrl);
        return validateCode
                .get(
                        key,
                        k -> Optional.ofNullable(
                                delegate.validateCode(context, options, system, code, display, valueSetUrl)))
                .orElse(null);
    }

    @Override
    public CodeValidationResult validateCodeInValueSet(
            ValidationSupportContext context,
            ConceptValidationOptions options,
            String system,
            String code,
            String display,
            IBaseResource valueSet) {
        String url = urlOf(valueSet);
        if (url == null) {
            // an anonymous (contained or inline) value set has no stable identity to cache under
            return delegate.validateCodeInValueSet(context, options, system, code, display, valueSet);
        }
        String key = key("in-vs", options, system, code, display, url);
        return validateCode
                .get(
                        key,
                        k -> Optional.ofNullable(
                                delegate.validateCodeInValueSet(context, options, system, code, display, valueSet)))
                .orElse(null);
    }

    @Override
    public LookupCodeResult lookupCode(ValidationSupportContext context, LookupCodeRequest request) {
        String key =
                key(request.getSystem(), request.getCode(), request.getDisplayLanguage(), request.getPropertyNames());
        return lookupCode
                .get(key, k -> Optional.ofNullable(delegate.lookupCode(context, request)))
                .orElse(null);
    }

    @Override
    public ValueSetExpansionOutcome expandValueSet(
            ValidationSupportContext context, ValueSetExpansionOptions options, IBaseResource valueSet) {
        String url = urlOf(valueSet);
        if (url == null) {
            return delegate.expandValueSet(context, options, valueSet);
        }
        String key = options == null
                ? key(url)
                : key(url, options.getFilter(), options.getOffset(), options.getCount(), options.isIncludeHierarchy());
        return expandValueSet
                .get(key, k -> Optional.ofNullable(delegate.expandValueSet(context, options, valueSet)))
                .orElse(null);
    }

    @Override
    public TranslateConceptResults translateConcept(TranslateCodeRequest request) {
        String key = key(
                request.getCodings(),
                request.getTargetSystemUrl(),
                request.getConceptMapUrl(),
                request.getConceptMapVersion(),
                request.getSourceValueSetUrl(),
                request.getTargetValueSetUrl(),
                request.isReverse());
        return translateConcept
                .get(key, k -> Optional.ofNullable(delegate.translateConcept(request)))
                .orElse(null);
    }

    // Everything else is passed through: fetches are cheap map lookups in the delegate.

    @Override
    public boolean isCodeSystemSupported(ValidationSupportContext context, String system) {
        return delegate.isCodeSystemSupported(context, system);
    }

    @Override
    public boolean isValueSetSupported(ValidationSupportContext context, String valueSetUrl) {
        return delegate.isValueSetSupported(context, valueSetUrl);
    }

    @Override
    public List<IBaseResource> fetchAllConformanceResources() {
        return delegate.fetchAllConformanceResources();
    }

    @Override
    public <T extends IBaseResource> List<T> fetchAllStructureDefinitions() {
        return delegate.fetchAllStructureDefinitions();
    }

    @Override
    public <T extends IBaseResource> List<T> fetchAllNonBaseStructureDefinitions() {
        return delegate.fetchAllNonBaseStructureDefinitions();
    }

    @Override
    public IBaseResource fetchCodeSystem(String system) {
        return delegate.fetchCodeSystem(system);
    }

    @Override
    public IBaseResource fetchValueSet(String valueSetUrl) {
        return delegate.fetchValueSet(valueSetUrl);
    }

    @Override
    public IBaseResource fetchStructureDefinition(String url) {
        return delegate.fetchStructureDefinition(url);
    }

    @Override
    public <T extends IBaseResource> T fetchResource(Class<T> type, String url) {
        return delegate.fetchResource(type, url);
    }

    @Override
    public boolean isRemoteTerminologyServiceConfigured() {
        return false;
    }

    @Override
    public IBaseResource generateSnapshot(
            ValidationSupportContext context, IBaseResource input, String url, String webUrl, String profileName) {
        return delegate.generateSnapshot(context, input, url, webUrl, profileName);
    }

    private String urlOf(IBaseResource valueSet) {
        if (valueSet == null) {
            return null;
        }
        var terser = getFhirContext().newTerser();
        String url = terser.getSinglePrimitiveValueOrNull(valueSet, "url");
        String version = terser.getSinglePrimitiveValueOrNull(valueSet, "version");
        return url == null ? null : url + "|" + version;
    }

    private static String key(ConceptValidationOptions options, Object... parts) {
        return key(parts) + "|" + (options == null ? "" : options.isInferSystem() + ":" + options.isValidateDisplay());
    }

    private static String key(String kind, ConceptValidationOptions options, Object... parts) {
        return kind + "|" + key(options, parts);
    }

    private static String key(Object... parts) {
        StringBuilder key = new StringBuilder();
        for (Object part : parts) {
            key.append(part).append('\u001f');
        }
        return key.toString();
    }
}
