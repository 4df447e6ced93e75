package org.mcsfhir.server.cases;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The storage hook that keeps the case table current: after a create, update or delete of any resource of a case
 * commits (alone or in a transaction Bundle, through any door: REST, transaction, internal writes), the insertions
 * it concerns are announced to {@link CaseTableKeeper}, which re-reads their rows on its own thread. A failed write
 * announces nothing; an update announces the cases of the old and of the new version (e.g. a consent moved).
 * Announcements are read in batches ({@link CaseTableKeeper}), so announcing a patient's every insertion is cheap.
 * Telemetry windows are not evidence of the row and announce nothing.
 */
@Interceptor
public class CaseTableUpkeep {

    private final CaseTableKeeper keeper;

    public CaseTableUpkeep(CaseTableKeeper keeper) {
        this.keeper = keeper;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        announceAfterCommit(concerned(resource));
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        Set<String> refs = concerned(resource);
        refs.addAll(concerned(previous));
        announceAfterCommit(refs);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        announceAfterCommit(concerned(resource));
    }

    /** The insertions ({@code Procedure/id}) or patients ({@code Patient/id}) whose rows a resource may change. */
    static Set<String> concerned(IBaseResource resource) {
        Set<String> refs = new LinkedHashSet<>();
        if (resource instanceof Procedure procedure) {
            if (CaseCodes.isInsertion(procedure)) {
                refs.add("Procedure/" + procedure.getIdElement().getIdPart());
                // the patient's other insertions too: an unlisted complication belongs to the latest one started
                // before its onset, so a new, moved or deleted insertion can take one over or hand it back
                add(refs, procedure.getSubject(), "Patient");
            }
            procedure.getPartOf().forEach(ref -> add(refs, ref, "Procedure"));
        } else if (resource instanceof Consent consent) {
            consent.getProvision().getData().forEach(data -> add(refs, data.getReference(), "Procedure"));
            add(refs, consent.getPatient(), "Patient"); // a consent the insertion names by extension
        } else if (resource instanceof Observation observation && !CaseCodes.isTelemetry(observation)) {
            observation.getFocus().forEach(ref -> add(refs, ref, "Procedure"));
            if (CaseCodes.isSelection(observation)) {
                add(refs, observation.getSubject(), "Patient"); // SCAI stage, pregnancy: every insertion of the patient
            }
        } else if (resource instanceof Condition condition) {
            add(refs, condition.getSubject(), "Patient");
        } else if (resource instanceof Device device) {
            add(refs, device.getPatient(), "Patient");
        } else if (resource instanceof Patient patient && patient.getIdElement().hasIdPart()) {
            refs.add("Patient/" + patient.getIdElement().getIdPart());
        }
        return refs;
    }

    private static void add(Set<String> refs, Reference ref, String type) {
        String id = CaseReferences.idOf(ref, type);
        if (id != null) {
            refs.add(type + "/" + id);
        }
    }

    private void announceAfterCommit(Set<String> refs) {
        if (refs.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            refs.forEach(keeper::announce);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                refs.forEach(keeper::announce);
            }
        });
    }
}
