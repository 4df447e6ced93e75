package org.mcsfhir.server.worklist;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.model.DeleteConflict;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.delete.DeleteConflictOutcome;
import ca.uhn.fhir.jpa.delete.DeleteConflictService;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps the worklist current between scheduled passes and out of the way of deletes.
 *
 * <p>After a write that can open or close an item commits (an insertion, a removal, a consent, an outcome
 * Observation, a Patient's death), the insertion concerned is announced to {@link WorklistRunner}; the work happens on
 * its thread, so the client's request neither waits for nor fails because of the worklist. Telemetry windows are not
 * announced (thousands a minute); the scheduled pass catches a pump that resumes or falls silent.
 *
 * <p>A worklist Task refers to its insertion, patient and centre, which would make HAPI refuse to delete them (409).
 * Tasks are bookkeeping, not evidence: on such a conflict the worklist Tasks concerned are deleted in the same
 * transaction and the delete goes ahead; the reconciler opens them again if the data is still missing.
 */
@Interceptor
class WorklistTrigger {

    private final WorklistRunner runner;
    private final DaoRegistry daos;

    WorklistTrigger(WorklistRunner runner, DaoRegistry daos) {
        this.runner = runner;
        this.daos = daos;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        announceAfterCommit(affected(resource));
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        Set<String> refs = affected(resource);
        refs.addAll(affected(previous)); // e.g. a consent moved from one insertion to another
        announceAfterCommit(refs);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        announceAfterCommit(affected(resource));
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_DELETE_CONFLICTS)
    public DeleteConflictOutcome deleteConflicts(DeleteConflictList conflicts, RequestDetails request,
            TransactionDetails transaction) {
        List<IdType> worklistTasks = new ArrayList<>();
        for (DeleteConflict conflict : conflicts) {
            IdType source = new IdType(conflict.getSourceId().getValue()).toUnqualifiedVersionless();
            if ("Task".equals(source.getResourceType()) && isWorklistTask(source)) {
                worklistTasks.add(source);
            }
        }
        if (worklistTasks.isEmpty()) {
            return null;
        }
        for (IdType task : worklistTasks) {
            daos.getResourceDao(Task.class).delete(task, new DeleteConflictList(), request, transaction);
        }
        // look for conflicts again: the Tasks' references are gone, other referrers still block the delete. HAPI's
        // first look reports a single conflict, so an insertion with several worklist Tasks needs more than one retry;
        // the retries end as soon as a look finds no worklist Task (this hook then answers null).
        return new DeleteConflictOutcome().setShouldRetryCount(DeleteConflictService.MAX_RETRY_ATTEMPTS);
    }

    private boolean isWorklistTask(IdType id) {
        try {
            return WorklistReconciler.isWorklistTask(daos.getResourceDao(Task.class).read(id, new SystemRequestDetails()));
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return false;
        }
    }

    /** The insertions ({@code Procedure/id}) or patients ({@code Patient/id}) whose worklist a write may change. */
    static Set<String> affected(IBaseResource resource) {
        Set<String> refs = new LinkedHashSet<>();
        if (resource instanceof Procedure procedure) {
            if (CaseSnapshotLoader.isInsertion(procedure)) {
                refs.add("Procedure/" + procedure.getIdPart());
            }
            procedure.getPartOf().forEach(ref -> addProcedure(refs, ref));
        } else if (resource instanceof Consent consent) {
            consent.getProvision().getData().forEach(data -> addProcedure(refs, data.getReference()));
        } else if (resource instanceof Observation observation && !isTelemetry(observation)) {
            observation.getFocus().forEach(ref -> addProcedure(refs, ref));
        } else if (resource instanceof org.hl7.fhir.r4.model.Patient patient && patient.getIdElement().hasIdPart()) {
            refs.add("Patient/" + patient.getIdPart());
        }
        return refs;
    }

    private static boolean isTelemetry(Observation observation) {
        return observation.getCategory().stream().flatMap(c -> c.getCoding().stream())
                .anyMatch(c -> WorklistCodes.OBSERVATION_CATEGORY_SYSTEM.equals(c.getSystem()));
    }

    private static void addProcedure(Set<String> refs, Reference ref) {
        if (ref != null && ref.hasReference()) {
            IdType id = new IdType(ref.getReference());
            if ("Procedure".equals(id.getResourceType()) && id.hasIdPart()) {
                refs.add("Procedure/" + id.getIdPart());
            }
        }
    }

    private void announceAfterCommit(Set<String> refs) {
        if (refs.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            refs.forEach(runner::announce);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                refs.forEach(runner::announce);
            }
        });
    }
}
