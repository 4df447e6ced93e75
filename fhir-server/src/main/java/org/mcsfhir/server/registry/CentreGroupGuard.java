package org.mcsfhir.server.registry;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Group;
import org.mcsfhir.server.errors.ClientErrors;
import org.mcsfhir.server.storage.DeleteExemption;

/**
 * The centre Groups ({@code Group/mcs-centre-<organization id>}) are the server's: {@link CentreGroups} keeps their
 * members, and a client write (REST, transaction entry, patch) of a Group with such an id is refused (422
 * {@code MCS-0821}). That makes the id a mark no client can forge, so it may decide that a centre Group never blocks
 * the delete of a Patient ({@link DeleteExemption}; the Patient leaves its Group in the delete's transaction).
 */
@Interceptor
class CentreGroupGuard implements DeleteExemption {

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource, ServletRequestDetails clientRequest) {
        refuseClientWrite(clientRequest, resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource resource, ServletRequestDetails clientRequest) {
        refuseClientWrite(clientRequest, resource);
    }

    /** Only a request that came in through the REST server carries servlet details; {@link CentreGroups}' do not. */
    private static void refuseClientWrite(ServletRequestDetails clientRequest, IBaseResource resource) {
        if (clientRequest != null && isCentreGroup(resource)) {
            throw ClientErrors.unprocessable(
                    "MCS-0821: Group/" + resource.getIdElement().getIdPart()
                            + " is a centre Group, kept by the server: Groups with ids starting "
                            + CentreGroups.GROUP_ID_PREFIX + " cannot be written by clients",
                    "Group.id");
        }
    }

    private static boolean isCentreGroup(IBaseResource resource) {
        return resource instanceof Group group
                && group.getIdElement().hasIdPart()
                && group.getIdElement().getIdPart().startsWith(CentreGroups.GROUP_ID_PREFIX);
    }

    @Override
    public String resourceType() {
        return "Group";
    }

    @Override
    public boolean exempts(IBaseResource referrer) {
        return isCentreGroup(referrer);
    }
}
