package org.mcsfhir.server.worklist;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Task;
import org.mcsfhir.server.errors.ClientErrors;
import org.mcsfhir.server.guide.GuideCodes;
import org.mcsfhir.server.security.ClientIdentity;
import org.mcsfhir.server.security.ClientKind;
import org.mcsfhir.server.storage.DeleteExemption;

/**
 * The worklist's Tasks are the server's: a client write (REST, transaction entry, patch) that would create or change
 * a Task carrying the worklist identifier system is refused (422 {@code MCS-0867}), unless the client is an admin
 * (who loads the guide's example Task) or the server runs in open mode (where every request is allowed anyway). That
 * is what makes the identifier a mark a hospital's or gateway's client cannot forge, so it may decide that such a
 * Task never blocks a delete ({@link DeleteExemption}; {@link WorklistTrigger} removes them in HAPI's own check).
 * Clients may still delete a Task; the reconciler opens it again if the data is still missing.
 */
@Interceptor
class WorklistTaskGuard implements DeleteExemption {

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource, ServletRequestDetails clientRequest) {
        refuseClientWrite(clientRequest, resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource, ServletRequestDetails clientRequest) {
        refuseClientWrite(clientRequest, previous);
        refuseClientWrite(clientRequest, resource);
    }

    /** Only a request that came in through the REST server carries servlet details; the reconciler's do not. */
    private static void refuseClientWrite(ServletRequestDetails clientRequest, IBaseResource resource) {
        if (clientRequest != null
                && resource instanceof Task task
                && WorklistReconciler.isWorklistTask(task)
                && !mayWriteServerTasks(clientRequest)) {
            throw ClientErrors.unprocessable(
                    "MCS-0867: Tasks with the identifier system " + GuideCodes.WORKLIST_ITEM_IDENTIFIER_SYSTEM
                            + " are the completeness worklist's, written by the server only",
                    "Task.identifier");
        }
    }

    private static boolean mayWriteServerTasks(ServletRequestDetails clientRequest) {
        Object identity = clientRequest.getServletRequest() == null
                ? null
                : clientRequest.getServletRequest().getAttribute(ClientIdentity.REQUEST_ATTRIBUTE);
        return identity instanceof ClientIdentity client && (client.open() || client.is(ClientKind.ADMIN));
    }

    @Override
    public String resourceType() {
        return "Task";
    }

    @Override
    public boolean exempts(IBaseResource referrer) {
        return referrer instanceof Task task && WorklistReconciler.isWorklistTask(task);
    }
}
