package org.mcsfhir.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.delete.DeleteConflictOutcome;

/**
 * AuditEvents point at what was accessed; that must not stop anyone deleting it afterwards, and the trail must keep
 * pointing at the deleted id (that is what happened). HAPI refuses to delete a resource that is still referenced, and
 * its per-path exceptions ({@code JpaStorageSettings#setEnforceReferentialIntegrityOnDeleteDisableForPaths}) are only
 * honoured by {@code $delete-expunge}, not by a plain DELETE, so the conflicts are dropped where HAPI reports them.
 */
@Interceptor
class AuditReferencesDoNotBlockDeletes {

    @Hook(Pointcut.STORAGE_PRESTORAGE_DELETE_CONFLICTS)
    public DeleteConflictOutcome ignoreAuditEventReferences(DeleteConflictList conflicts) {
        conflicts.removeIf(
                conflict -> "AuditEvent".equals(conflict.getSourceId().getResourceType()));
        return null;
    }
}
