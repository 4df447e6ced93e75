package org.mcsfhir.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mcsfhir.it.support.TestServer.fhir;

import io.restassured.response.Response;
import java.time.Instant;
import java.util.List;

/**
 * The members of the shared server's centre Groups, which it keeps in the background after a patient's write. Shared
 * by the ITs that wait for a patient to join (or leave) a centre's Group before they export or check it.
 */
public final class CentreGroups {

    private CentreGroups() {}

    /** Waits (up to 30 s) until {@code member} is in {@code Group/groupId}, and fails if it never is. */
    public static void awaitMember(String groupId, String member) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (members(groupId).contains(member)) {
                return;
            }
            Thread.sleep(200);
        }
        assertThat(members(groupId)).as("members of Group/" + groupId).contains(member);
    }

    /** The members' references, none when the Group is not there (yet). */
    public static List<String> members(String groupId) {
        Response group = fhir().get("/Group/" + groupId);
        if (group.statusCode() != 200) {
            return List.of();
        }
        List<String> members = group.jsonPath().getList("member.entity.reference");
        return members == null ? List.of() : members;
    }
}
