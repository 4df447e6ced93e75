package org.mcsfhir.server.worklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/** The worklist's mark on its Tasks is one a client cannot write, and only that mark exempts a Task from blocking. */
class WorklistTaskGuardTest {

    private final WorklistTaskGuard guard = new WorklistTaskGuard();

    @Test
    void clientTaskWithWorklistLikeId_isNotExempt_butAWorklistTaskIs() {
        Task client = new Task();
        client.setId("Task/wl-something-missing-consent");
        assertThat(guard.exempts(client)).isFalse();
        assertThat(guard.exempts(worklistTask())).isTrue();
        assertThat(guard.resourceType()).isEqualTo("Task");
    }

    @Test
    void clientWriteOfAWorklistTask_isRefused_serverWriteIsNot() {
        ServletRequestDetails client = new ServletRequestDetails();
        assertThatThrownBy(() -> guard.created(worklistTask(), client))
                .isInstanceOf(UnprocessableEntityException.class).hasMessageStartingWith("MCS-0867");
        assertThatThrownBy(() -> guard.updated(worklistTask(), new Task(), client))
                .as("a client update that strips the identifier").isInstanceOf(UnprocessableEntityException.class);
        guard.created(worklistTask(), null);
        guard.updated(worklistTask(), worklistTask(), null);
        guard.created(new Task(), client);
    }

    private static Task worklistTask() {
        Task task = new Task();
        task.addIdentifier(new Identifier().setSystem(WorklistCodes.IDENTIFIER_SYSTEM).setValue("ins-1/missing-consent"));
        return task;
    }
}
