package org.mcsfhir.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.r4.model.Group;
import org.junit.jupiter.api.Test;

/** Centre Groups are written by the server only, which is what lets them never block a Patient's delete. */
class CentreGroupGuardTest {

    private final CentreGroupGuard guard = new CentreGroupGuard();

    @Test
    void clientWriteOfACentreGroup_isRefused_serverWriteAndOtherGroupsAreNot() {
        assertThatThrownBy(() -> guard.created(group("mcs-centre-x"), new ServletRequestDetails()))
                .isInstanceOf(UnprocessableEntityException.class)
                .hasMessageStartingWith("MCS-0821");
        assertThatThrownBy(() -> guard.updated(group("mcs-centre-x"), new ServletRequestDetails()))
                .isInstanceOf(UnprocessableEntityException.class);
        guard.created(group("mcs-centre-x"), null);
        guard.created(group("cohort-1"), new ServletRequestDetails());
    }

    @Test
    void onlyCentreGroupsAreExempt() {
        assertThat(guard.exempts(group(CentreGroups.groupIdFor("centre-1")))).isTrue();
        assertThat(guard.exempts(group("cohort-1"))).isFalse();
    }

    private static Group group(String id) {
        Group group = new Group();
        group.setId("Group/" + id);
        return group;
    }
}
