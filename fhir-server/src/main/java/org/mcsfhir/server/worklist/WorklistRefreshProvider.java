package org.mcsfhir.server.worklist;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.mcsfhir.server.errors.OperationOutcomes;
import org.mcsfhir.server.security.AccessRules;

/**
 * {@code POST [base]/Task/$worklist-refresh} (OperationDefinition mcs-worklist-refresh): brings the worklist up to
 * date now, for one insertion or for all, and answers when that is done. The worklist keeps itself current without
 * it (scheduled pass plus re-evaluation after writes); this is for coordinators who want the latest state before a
 * review, and for tests, which must not sleep blindly. Reading the worklist is a standard Task search.
 */
class WorklistRefreshProvider {

    static final String OPERATION = AccessRules.WORKLIST_REFRESH;
    private static final Pattern INSERTION_REF = Pattern.compile("Procedure/[A-Za-z0-9\\-.]{1,64}");

    private final WorklistRunner runner;
    private final WorklistReconciler reconciler;
    private final Duration timeout;

    WorklistRefreshProvider(WorklistRunner runner, WorklistReconciler reconciler, Duration timeout) {
        this.runner = runner;
        this.reconciler = reconciler;
        this.timeout = timeout;
    }

    @Operation(name = OPERATION, type = Task.class, idempotent = false)
    @Description(
            shortDefinition = "Bring the completeness worklist up to date now",
            value = "Re-evaluates the worklist items of one pump insertion (parameter insertion) or of every insertion "
                    + "(no parameter) and answers when the Tasks are current, with the number of Tasks opened, "
                    + "completed and cancelled. 400 if insertion is not a Procedure reference, 404 if there is no "
                    + "such pump insertion.")
    public Parameters refresh(
            @Description(value = "The pump insertion to re-evaluate, e.g. Procedure/123. Absent: every insertion.")
                    @OperationParam(name = "insertion", min = 0, max = 1)
                    Reference insertion) {
        String insertionId = insertion == null ? null : insertionId(insertion);
        if (insertionId != null && !reconciler.isInsertion(insertionId)) {
            throw withOutcome(
                    new ResourceNotFoundException("MCS-0865: there is no pump insertion Procedure/" + insertionId),
                    OperationOutcome.IssueType.NOTFOUND);
        }
        WorklistReconciler.Changes changes;
        try {
            changes = runner.submit(
                            () -> insertionId == null ? reconciler.reconcileAll() : reconciler.reconcile(insertionId))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw withOutcome(
                    new UnclassifiedServerFailureException(
                            503,
                            "MCS-0866: the worklist refresh did not " + "finish within " + timeout
                                    + "; it goes on in the background"),
                    OperationOutcome.IssueType.TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        Parameters result = new Parameters();
        result.addParameter().setName("insertions").setValue(new IntegerType(changes.insertions()));
        result.addParameter().setName("opened").setValue(new IntegerType(changes.opened()));
        result.addParameter().setName("completed").setValue(new IntegerType(changes.completed()));
        result.addParameter().setName("cancelled").setValue(new IntegerType(changes.cancelled()));
        return result;
    }

    private static String insertionId(Reference insertion) {
        String ref = insertion.getReference();
        if (ref == null || !INSERTION_REF.matcher(ref).matches()) {
            throw withOutcome(
                    new InvalidRequestException("MCS-0864: insertion must be a relative reference to a pump "
                            + "insertion, Procedure/[id]; got " + (ref == null ? "no reference" : "'" + ref + "'")),
                    OperationOutcome.IssueType.INVALID);
        }
        return ref.substring("Procedure/".length());
    }

    private static <E extends BaseServerResponseException> E withOutcome(E exception, OperationOutcome.IssueType type) {
        OperationOutcome outcome = OperationOutcomes.error(type.toCode(), exception.getMessage());
        outcome.getIssueFirstRep().addExpression("Parameters.parameter.where(name = 'insertion')");
        exception.setOperationOutcome(outcome);
        return exception;
    }
}
