package org.mcsfhir.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bad clinical data never gets in: every resource about to be stored (create, update, each entry of a transaction)
 * that the guide profiles is validated against its profile, and a non-conforming one is refused with 422 and an
 * OperationOutcome naming each problem's element. It hooks the storage layer rather than the REST layer so that
 * transactions, conditional operations and internal writes are all covered; throwing before commit rolls the
 * whole transaction back. Warnings never block.
 */
@Interceptor
public class ProfileValidationInterceptor {

    private static final Logger log = LoggerFactory.getLogger(ProfileValidationInterceptor.class);

    private final FhirContext fhir;
    private final GuideConformance conformance;
    private final ValidationProperties.Mode mode;

    public ProfileValidationInterceptor(
            FhirContext fhir, GuideConformance conformance, ValidationProperties.Mode mode) {
        this.fhir = fhir;
        this.conformance = conformance;
        this.mode = mode;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void beforeCreate(IBaseResource resource, RequestDetails request) {
        validate(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void beforeUpdate(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        validate(resource, request);
    }

    private void validate(IBaseResource resource, RequestDetails request) {
        if (mode == ValidationProperties.Mode.OFF || bypassed(request)) {
            return;
        }
        GuideConformance.Verdict verdict = conformance.check(resource, List.of());
        if (!verdict.hasErrors()) {
            return;
        }
        if (mode == ValidationProperties.Mode.WARN) {
            log.warn(
                    "{} does not conform to {} (stored because mcs.validation.mode=warn): {}",
                    resource.fhirType(),
                    verdict.profiles(),
                    verdict.issues().get(0).getMessage());
            return;
        }
        throw new UnprocessableEntityException(fhir, GuideConformance.outcome(verdict));
    }

    private static boolean bypassed(RequestDetails request) {
        return request != null && Boolean.TRUE.equals(request.getUserData().get(ValidationBypass.USER_DATA_KEY));
    }
}
