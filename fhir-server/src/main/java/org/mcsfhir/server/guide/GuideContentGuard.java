package org.mcsfhir.server.guide;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MetadataResource;
import org.mcsfhir.server.errors.ClientErrors;

/**
 * The guide's package is the one authoritative source of its conformance and terminology content: write validation
 * reads it from the classpath, and {@link GuideInstaller} copies it into storage for the terminology operations and
 * for clients to read. Were a client allowed to change a stored copy (say, remove a code from a guide CodeSystem), the
 * terminology operations would answer from the change while validation still accepted the code, and each node would
 * notice at its own time. So a resource carrying one of the guide's canonical URLs cannot be created, changed or
 * deleted through the API ({@code MCS-0470}, 422); it changes with a guide release, which every node installs at
 * start-up. Other terminology (a hospital's local CodeSystem) stays writable.
 */
@Interceptor
class GuideContentGuard {

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void beforeCreate(IBaseResource created, RequestDetails request) {
        refuseGuideContent(created, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void beforeUpdate(IBaseResource previous, IBaseResource updated, RequestDetails request) {
        refuseGuideContent(previous, request);
        refuseGuideContent(updated, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void beforeDelete(IBaseResource deleted, RequestDetails request) {
        refuseGuideContent(deleted, request);
    }

    /** Only writes that arrive through the REST API are refused; the installer writes with a system request. */
    private static void refuseGuideContent(IBaseResource resource, RequestDetails request) {
        if (request instanceof ServletRequestDetails && isGuideContent(resource)) {
            String url = ((MetadataResource) resource).getUrl();
            throw ClientErrors.unprocessable(
                    "MCS-0470: " + url + " belongs to the implementation guide package, "
                            + "the one source of validation and terminology; it changes with a guide release, not through "
                            + "the API (a local CodeSystem or ValueSet needs a canonical URL of its own)",
                    resource.fhirType() + ".url");
        }
    }

    static boolean isGuideContent(IBaseResource resource) {
        return resource instanceof MetadataResource metadata
                && GuideInstaller.INSTALLED_TYPES.contains(resource.fhirType())
                && metadata.getUrl() != null
                && metadata.getUrl().startsWith(GuideCodes.BASE);
    }
}
