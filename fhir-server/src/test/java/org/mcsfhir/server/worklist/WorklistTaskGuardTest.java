package org.mcsfhir.server.worklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.Optional;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.guide.GuideCodes;
import org.mcsfhir.server.security.ClientIdentity;
import org.mcsfhir.server.security.ClientKind;
import org.mcsfhir.server.security.SmartScopes;
import org.springframework.mock.web.MockHttpServletRequest;

/** The worklist's mark on its Tasks is one a centre's client cannot write, and only that mark exempts a Task. */
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
    void ehrWriteOfAWorklistTask_isRefused() {
        ServletRequestDetails ehr = request(kind(ClientKind.EHR));
        assertThatThrownBy(() -> guard.created(worklistTask(), ehr))
                .isInstanceOf(UnprocessableEntityException.class)
                .hasMessageStartingWith("MCS-0867");
        assertThatThrownBy(() -> guard.updated(worklistTask(), new Task(), ehr))
                .as("an update that strips the identifier")
                .isInstanceOf(UnprocessableEntityException.class);
        assertThatThrownBy(() -> guard.created(worklistTask(), new ServletRequestDetails()))
                .as("no identity on the request")
                .isInstanceOf(UnprocessableEntityException.class);
        guard.created(new Task(), ehr);
    }

    @Test
    void serverAdminAndOpenModeWrites_goAhead() {
        guard.created(worklistTask(), null);
        guard.updated(worklistTask(), worklistTask(), null);
        guard.created(worklistTask(), request(kind(ClientKind.ADMIN)));
        guard.created(worklistTask(), request(ClientIdentity.openMode()));
    }

    private static ClientIdentity kind(ClientKind kind) {
        return new ClientIdentity(
                "client-1", Optional.of(kind), Optional.of("centre-1"), SmartScopes.none(), false, false);
    }

    private static ServletRequestDetails request(ClientIdentity identity) {
        MockHttpServletRequest servlet = new MockHttpServletRequest();
        servlet.setAttribute(ClientIdentity.REQUEST_ATTRIBUTE, identity);
        ServletRequestDetails details = new ServletRequestDetails();
        details.setServletRequest(servlet);
        return details;
    }

    private static Task worklistTask() {
        Task task = new Task();
        task.addIdentifier(new Identifier()
                .setSystem(GuideCodes.WORKLIST_ITEM_IDENTIFIER_SYSTEM)
                .setValue("ins-1/missing-consent"));
        return task;
    }
}
