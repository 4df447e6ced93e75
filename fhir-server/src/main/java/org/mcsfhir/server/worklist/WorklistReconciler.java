package org.mcsfhir.server.worklist;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.mcsfhir.server.guide.GuideCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the stored worklist Tasks of an insertion agree with {@link WorklistRules}: opens a Task for each open item,
 * completes it when the data arrives (output = the resource that supplied it), cancels it when the item no longer
 * applies, reopens it when the data disappears again. Idempotent: each (insertion, item) has one Task with a
 * deterministic identifier and id, and a Task already in the right state is not written again, so repeated passes and
 * two nodes running the same pass change nothing (a node that loses a race for a Task reconciles again).
 */
class WorklistReconciler {

    /** What one reconciliation changed. */
    record Changes(int insertions, int opened, int completed, int cancelled) {

        static final Changes NONE = new Changes(0, 0, 0, 0);

        Changes plus(Changes other) {
            return new Changes(
                    insertions + other.insertions,
                    opened + other.opened,
                    completed + other.completed,
                    cancelled + other.cancelled);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(WorklistReconciler.class);
    private static final int PAGE = 200;

    private final DaoRegistry daos;
    private final CaseSnapshotLoader loader;
    private final WorklistRules rules;
    private final Clock clock;

    WorklistReconciler(DaoRegistry daos, CaseSnapshotLoader loader, WorklistRules rules, Clock clock) {
        this.daos = daos;
        this.loader = loader;
        this.rules = rules;
        this.clock = clock;
    }

    /** Every pump insertion on the server, page by page. */
    Changes reconcileAll() {
        SearchParameterMap insertions = new SearchParameterMap()
                .add(Procedure.SP_CODE, new TokenParam(GuideCodes.SNOMED, GuideCodes.INSERTION_CODE));
        IBundleProvider results = daos.getResourceDao(Procedure.class).search(insertions, system());
        Changes changes = Changes.NONE;
        for (int from = 0; ; from += PAGE) {
            List<IBaseResource> page = results.getResources(from, from + PAGE);
            if (page.isEmpty()) {
                return changes;
            }
            for (IBaseResource insertion : page) {
                changes = changes.plus(reconcileSafely(insertion.getIdElement().getIdPart()));
            }
        }
    }

    /** The insertions of a patient (after a Patient write, e.g. a recorded death). */
    Changes reconcilePatient(String patientId) {
        SearchParameterMap insertions = SearchParameterMap.newSynchronous()
                .add(Procedure.SP_SUBJECT, new ReferenceParam("Patient/" + patientId))
                .add(Procedure.SP_CODE, new TokenParam(GuideCodes.SNOMED, GuideCodes.INSERTION_CODE));
        Changes changes = Changes.NONE;
        for (IBaseResource insertion : daos.getResourceDao(Procedure.class)
                .search(insertions, system())
                .getAllResources()) {
            changes = changes.plus(reconcileSafely(insertion.getIdElement().getIdPart()));
        }
        return changes;
    }

    /** Whether there is a (not deleted) pump insertion with this id. */
    boolean isInsertion(String insertionId) {
        return loader.load(insertionId).isPresent();
    }

    /** One insertion's failure (e.g. a version conflict with another node) must not stop a pass. */
    Changes reconcileSafely(String insertionId) {
        try {
            return reconcile(insertionId);
        } catch (RuntimeException e) {
            log.warn(
                    "MCS-0861: could not bring the worklist of Procedure/{} up to date: {}",
                    insertionId,
                    e.getMessage());
            return new Changes(1, 0, 0, 0);
        }
    }

    /**
     * Every node runs the passes and the re-evaluations its writes announce, so two nodes may reconcile the same
     * insertion at once; the one that loses the race to create or update a Task gets a version conflict. Reconciling
     * again from what is stored now settles it: the winner's Task is found, and left alone if it is right.
     */
    Changes reconcile(String insertionId) {
        try {
            return reconcileOnce(insertionId);
        } catch (ResourceVersionConflictException lostRace) {
            log.debug("worklist of Procedure/{} changed meanwhile (another node); reconciling again", insertionId);
            return reconcileOnce(insertionId);
        }
    }

    private Changes reconcileOnce(String insertionId) {
        Instant now = clock.instant();
        Map<WorklistItem, Task> existing = existingTasks(insertionId);
        Optional<CaseSnapshot> snapshot = loader.load(insertionId);
        if (snapshot.isEmpty()) {
            int cancelled = 0;
            for (Task task : existing.values()) {
                if (task.getStatus() == Task.TaskStatus.REQUESTED) {
                    close(
                            task,
                            Task.TaskStatus.CANCELLED,
                            null,
                            "Procedure/" + insertionId + " is no longer a pump insertion",
                            now);
                    cancelled++;
                }
            }
            return new Changes(1, 0, 0, cancelled);
        }
        CaseSnapshot c = snapshot.get();
        int opened = 0;
        int completed = 0;
        int cancelled = 0;
        for (Map.Entry<WorklistItem, WorklistRules.Verdict> entry :
                rules.evaluate(c, now).entrySet()) {
            WorklistItem item = entry.getKey();
            WorklistRules.Verdict verdict = entry.getValue();
            Task task = existing.get(item);
            boolean open = task != null && task.getStatus() == Task.TaskStatus.REQUESTED;
            switch (verdict.state()) {
                case OPEN -> {
                    if (c.centreRef() == null) {
                        log.warn(
                                "MCS-0862: {} has open worklist item {} but no implanting centre to own it",
                                c.insertionRef(),
                                item.code);
                    } else if (!open || !upToDate(task, c, verdict)) {
                        open(task, item, c, verdict, now);
                        opened += open ? 0 : 1;
                    }
                }
                case SATISFIED -> {
                    if (open) {
                        close(task, Task.TaskStatus.COMPLETED, verdict.resourceRef(), verdict.text(), now);
                        completed++;
                    }
                }
                case NOT_APPLICABLE -> {
                    if (open) {
                        close(task, Task.TaskStatus.CANCELLED, null, verdict.text(), now);
                        cancelled++;
                    }
                }
            }
        }
        return new Changes(1, opened, completed, cancelled);
    }

    private Map<WorklistItem, Task> existingTasks(String insertionId) {
        SearchParameterMap byFocus =
                SearchParameterMap.newSynchronous().add(Task.SP_FOCUS, new ReferenceParam("Procedure/" + insertionId));
        Map<WorklistItem, Task> tasks = new EnumMap<>(WorklistItem.class);
        for (IBaseResource found : tasks().search(byFocus, system()).getAllResources()) {
            Task task = (Task) found;
            for (WorklistItem item : WorklistItem.values()) {
                if (hasIdentifier(task, identifierValue(insertionId, item))) {
                    tasks.merge(item, task, (a, b) -> a.getIdPart().equals(taskId(insertionId, item)) ? a : b);
                }
            }
        }
        return tasks;
    }

    private static boolean upToDate(Task task, CaseSnapshot c, WorklistRules.Verdict verdict) {
        Date start = task.getExecutionPeriod().getStart();
        return start != null
                && start.toInstant().equals(verdict.due())
                && Objects.equals(c.centreRef(), task.getOwner().getReference())
                && Objects.equals(c.patientRef(), task.getFor().getReference())
                && Objects.equals(verdict.text(), task.getDescription());
    }

    /** Creates the Task, or reopens / refreshes the existing one. */
    private void open(Task existing, WorklistItem item, CaseSnapshot c, WorklistRules.Verdict verdict, Instant now) {
        String insertionId = new IdType(c.insertionRef()).getIdPart();
        Task task = existing != null ? existing : new Task();
        if (existing == null) {
            task.setId("Task/" + taskId(insertionId, item));
            task.getMeta().addProfile(GuideCodes.WORKLIST_TASK_PROFILE);
            task.addIdentifier(new Identifier()
                    .setSystem(GuideCodes.WORKLIST_ITEM_IDENTIFIER_SYSTEM)
                    .setValue(identifierValue(insertionId, item)));
            task.setIntent(Task.TaskIntent.ORDER);
            task.getCode()
                    .addCoding()
                    .setSystem(GuideCodes.WORKLIST_ITEM_SYSTEM)
                    .setCode(item.code)
                    .setDisplay(item.display);
            task.setFocus(new Reference(c.insertionRef()));
            task.setAuthoredOn(Date.from(now));
        }
        task.setStatus(Task.TaskStatus.REQUESTED);
        task.setStatusReason(null);
        task.getOutput().clear();
        task.setDescription(verdict.text());
        task.setFor(new Reference(c.patientRef()));
        task.setOwner(new Reference(c.centreRef()));
        task.getExecutionPeriod().setStart(Date.from(verdict.due())).setEnd(null);
        task.setLastModified(Date.from(now));
        tasks().update(task, system());
    }

    private void close(Task task, Task.TaskStatus status, String resourceRef, String reason, Instant now) {
        task.setStatus(status);
        task.getStatusReason().setText(resourceRef == null ? reason : reason + ": " + resourceRef);
        task.getOutput().clear();
        if (resourceRef != null) {
            task.addOutput()
                    .setValue(new Reference(resourceRef))
                    .getType()
                    .setText("Resource that supplied the missing data");
        }
        task.getExecutionPeriod().setEnd(Date.from(now));
        task.setLastModified(Date.from(now));
        tasks().update(task, system());
    }

    static String identifierValue(String insertionId, WorklistItem item) {
        return insertionId + "/" + item.code;
    }

    /**
     * {@code wl-<insertion id>-<item code>}, or a hash when that exceeds FHIR's 64 characters. No readable id can
     * equal a hashed one: every item code contains letters beyond a-f.
     */
    static String taskId(String insertionId, WorklistItem item) {
        String readable = "wl-" + insertionId + "-" + item.code;
        if (readable.length() <= 64) {
            return readable;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(identifierValue(insertionId, item).getBytes(StandardCharsets.UTF_8));
            return "wl-" + HexFormat.of().formatHex(hash).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isWorklistTask(Task task) {
        return task.getIdentifier().stream()
                .anyMatch(i -> GuideCodes.WORKLIST_ITEM_IDENTIFIER_SYSTEM.equals(i.getSystem()));
    }

    private static boolean hasIdentifier(Task task, String value) {
        return task.getIdentifier().stream()
                .anyMatch(i ->
                        GuideCodes.WORKLIST_ITEM_IDENTIFIER_SYSTEM.equals(i.getSystem()) && value.equals(i.getValue()));
    }

    private IFhirResourceDao<Task> tasks() {
        return daos.getResourceDao(Task.class);
    }

    private static SystemRequestDetails system() {
        return new SystemRequestDetails();
    }
}
