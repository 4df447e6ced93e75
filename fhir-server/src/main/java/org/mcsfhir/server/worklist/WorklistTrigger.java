package org.mcsfhir.server.worklist;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
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
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.mcsfhir.server.cases.CaseCodes;
import org.mcsfhir.server.cases.CaseReferences;
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

    /** {@link TransactionDetails} key: the worklist Tasks this transaction has deleted ({@code Task/<id>}). */
    private static final String DELETED_TASKS = WorklistTrigger.class.getName() + ".deletedTasks";

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
    public DeleteConflictOutcome deleteConflicts(
            DeleteConflictList conflicts, RequestDetails request, TransactionDetails transaction) {
        // HAPI looks for conflicts several times in one delete, and a later look can still report a Task deleted by
        // an earlier one: remember them for the whole transaction and drop their conflicts every time
        Set<String> deleted = transaction == null
                ? new LinkedHashSet<>()
                : transaction.getOrCreateUserData(DELETED_TASKS, LinkedHashSet::new);
        List<IdType> toDelete = new ArrayList<>();
        conflicts.removeIf(conflict -> {
            IdType source = new IdType(conflict.getSourceId().getValue()).toUnqualifiedVersionless();
            if (!"Task".equals(source.getResourceType())) {
                return false;
            }
            if (deleted.contains(source.getValue())) {
                return true;
            }
            if (isWorklistTask(source)) {
                toDelete.add(source);
                return true;
            }
            return false;
        });
        if (toDelete.isEmpty()) {
            return null;
        }
        for (IdType task : toDelete) {
            if (deleted.add(task.getValue())) {
                daos.getResourceDao(Task.class).delete(task, new DeleteConflictList(), request, transaction);
            }
        }
        // look for conflicts again: other referrers still block the delete. HAPI's first look reports a single
        // conflict, so an insertion with several worklist Tasks needs more than one look; the looks end as soon as
        // one finds no worklist Task (this hook then answers null)
        return new DeleteConflictOutcome().setShouldRetryCount(DeleteConflictService.MAX_RETRY_ATTEMPTS);
    }

    private boolean isWorklistTask(IdType id) {
        try {
            return WorklistReconciler.isWorklistTask(
                    daos.getResourceDao(Task.class).read(id, new SystemRequestDetails()));
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return false;
        }
    }

    /** The insertions ({@code Procedure/id}) or patients ({@code Patient/id}) whose worklist a write may change. */
    static Set<String> affected(IBaseResource resource) {
        Set<String> refs = new LinkedHashSet<>();
        if (resource instanceof Procedure procedure) {
            if (CaseCodes.isInsertion(procedure)) {
                refs.add("Procedure/" + procedure.getIdPart());
            }
            procedure.getPartOf().forEach(ref -> addProcedure(refs, ref));
        } else if (resource instanceof Consent consent) {
            consent.getProvision().getData().forEach(data -> addProcedure(refs, data.getReference()));
        } else if (resource instanceof Observation observation && !CaseCodes.isTelemetry(observation)) {
            observation.getFocus().forEach(ref -> addProcedure(refs, ref));
        } else if (resource instanceof Patient patient && patient.getIdElement().hasIdPart()) {
            refs.add("Patient/" + patient.getIdPart());
        }
        return refs;
    }

    private static void addProcedure(Set<String> refs, Reference ref) {
        String id = CaseReferences.idOf(ref, "Procedure");
        if (id != null) {
            refs.add("Procedure/" + id);
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
