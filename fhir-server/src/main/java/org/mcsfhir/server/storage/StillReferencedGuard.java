package org.mcsfhir.server.storage;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.mcsfhir.server.errors.ClientErrors;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;

/**
 * A resource that others still reference cannot be deleted (409), on every database. HAPI checks this itself, but
 * on PostgreSQL HAPI 8.8 was seen to miss the referencing resources and delete (a Patient with Observations, a
 * registry case losing its patient). This looks the references up in HAPI's link table, inside the delete's
 * transaction (a native query flushes pending changes first), after every other delete hook has run.
 *
 * <p>Not counted: AuditEvents (the access log keeps naming what was deleted; clients never write AuditEvents, as
 * {@code security.AuditReferencesDoNotBlockDeletes} lets go of them in HAPI's own check), and referrers a feature's
 * {@link DeleteExemption} lets go of (read as stored, so decided on their content, not on their id).
 */
@Interceptor
class StillReferencedGuard {

    static final int AFTER_OTHER_DELETE_HOOKS = 1000;
    /** Referrers named in the refusal; the search stops once it has found this many that block. */
    private static final int NAMED = 5;

    private static final int PAGE = 50;

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
            ORDER BY l.PID
            """;

    private final EntityManagerFactory entityManagers;
    private final DaoRegistry daos;
    /** Resolved on first use: the features contributing them are built after storage. */
    private final Supplier<List<DeleteExemption>> exemptions;

    StillReferencedGuard(
            EntityManagerFactory entityManagers, DaoRegistry daos, Supplier<List<DeleteExemption>> exemptions) {
        this.entityManagers = entityManagers;
        this.daos = daos;
        this.exemptions = exemptions;
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED, order = AFTER_OTHER_DELETE_HOOKS)
    public void refuseWhileReferenced(IBaseResource resource) {
        EntityManager entityManager = EntityManagerFactoryUtils.getTransactionalEntityManager(entityManagers);
        if (entityManager == null || !resource.getIdElement().hasIdPart()) {
            return;
        }
        List<String> blocking = new ArrayList<>();
        for (int first = 0; blocking.size() < NAMED; first += PAGE) {
            @SuppressWarnings("unchecked")
            List<Object[]> page = entityManager
                    .createNativeQuery(REFERRERS)
                    .setParameter(1, resource.fhirType())
                    .setParameter(2, resource.getIdElement().getIdPart())
                    .setFirstResult(first)
                    .setMaxResults(PAGE)
                    .getResultList();
            for (Object[] row : page) {
                if (blocking.size() < NAMED && !exempt((String) row[0], (String) row[1])) {
                    blocking.add(row[0] + "/" + row[1] + " (" + row[2] + ")");
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        if (blocking.isEmpty()) {
            return;
        }
        String target = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        String message = "MCS-0409: " + target + " cannot be deleted while other resources reference it: "
                + String.join(", ", blocking) + (blocking.size() == NAMED ? ", ..." : "")
                + ". Delete or update those first.";
        throw ClientErrors.conflict(message);
    }

    private boolean exempt(String type, String id) {
        List<DeleteExemption> forType = exemptions.get().stream()
                .filter(e -> e.resourceType().equals(type))
                .toList();
        if (forType.isEmpty()) {
            return false;
        }
        IBaseResource referrer;
        try {
            referrer = daos.getResourceDao(type).read(new IdType(type, id), new SystemRequestDetails());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return true; // deleted earlier in this transaction: no longer a referrer
        }
        return forType.stream().anyMatch(e -> e.exempts(referrer));
    }
}
