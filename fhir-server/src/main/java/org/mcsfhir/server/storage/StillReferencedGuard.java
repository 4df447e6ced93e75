package org.mcsfhir.server.storage;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.mcsfhir.server.errors.ClientErrors;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;

/**
 * A resource that others still reference cannot be deleted (409), on every database. HAPI checks this itself, but
 * on PostgreSQL HAPI 8.8 was seen to miss the referencing resources and delete (a Patient with Observations, a
 * registry case losing its patient). This looks the references up in HAPI's link table, inside the delete's
 * transaction (a native query flushes pending changes first), after every other delete hook has run.
 *
 * <p>Not counted, because their owners let go of them: AuditEvents (the trail keeps naming what was deleted), the
 * server's centre Groups (the Patient leaves its Group in the same transaction) and worklist Tasks (bookkeeping,
 * reopened by the reconciler if data is still missing).
 */
@Interceptor
class StillReferencedGuard {

    static final int AFTER_OTHER_DELETE_HOOKS = 1000;

    private static final String REFERRERS = """
            SELECT src.RES_TYPE, src.FHIR_ID, l.SRC_PATH
            FROM HFJ_RES_LINK l
            JOIN HFJ_RESOURCE src ON src.RES_ID = l.SRC_RESOURCE_ID
            JOIN HFJ_RESOURCE tgt ON tgt.RES_ID = l.TARGET_RESOURCE_ID
            WHERE tgt.RES_TYPE = ?1 AND tgt.FHIR_ID = ?2
              AND src.RES_ID <> tgt.RES_ID
              AND l.TARGET_RESOURCE_VERSION IS NULL
              AND src.RES_DELETED_AT IS NULL
              AND src.RES_TYPE <> 'AuditEvent'
              AND NOT (src.RES_TYPE = 'Group' AND src.FHIR_ID LIKE 'mcs-centre-%')
              AND NOT (src.RES_TYPE = 'Task' AND src.FHIR_ID LIKE 'wl-%')
            """;

    private final EntityManagerFactory entityManagers;

    StillReferencedGuard(EntityManagerFactory entityManagers) {
        this.entityManagers = entityManagers;
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED, order = AFTER_OTHER_DELETE_HOOKS)
    public void refuseWhileReferenced(IBaseResource resource) {
        EntityManager entityManager = EntityManagerFactoryUtils.getTransactionalEntityManager(entityManagers);
        if (entityManager == null || !resource.getIdElement().hasIdPart()) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> referrers = entityManager.createNativeQuery(REFERRERS)
                .setParameter(1, resource.fhirType())
                .setParameter(2, resource.getIdElement().getIdPart())
                .setMaxResults(5)
                .getResultList();
        if (referrers.isEmpty()) {
            return;
        }
        String target = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        String names = referrers.stream().map(r -> r[0] + "/" + r[1] + " (" + r[2] + ")").collect(Collectors.joining(", "));
        String message = "MCS-0409: " + target + " cannot be deleted while other resources reference it: "
                + names + (referrers.size() == 5 ? ", ..." : "") + ". Delete or update those first.";
        throw ClientErrors.conflict(message);
    }
}
