package org.mcsfhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** What the guard does to a centre-bound client's requests before HAPI's rules see them. */
class AccessGuardInterceptorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final AccessGuardInterceptor guard = new AccessGuardInterceptor(new AccessRules(FHIR, null));

    @Test
    void ehrAuditWithoutCentre_isConfinedToItsOwnCentre() {
        ServletRequestDetails request = request(
                RestOperationTypeEnum.EXTENDED_OPERATION_TYPE, "Measure", "$audit", Map.of("periodStart", new String[] {
                    "2026-01-01"
                }));
        guard.guard(request);
        assertThat(request.getParameters().get("centre")).containsExactly("Organization/A");
    }

    @Test
    void ehrAuditDatasetWithoutCentre_isConfinedToItsOwnCentre() {
        ServletRequestDetails request = request(
                RestOperationTypeEnum.EXTENDED_OPERATION_TYPE,
                "Measure",
                AccessRules.AUDIT_DATASET,
                Map.of("periodStart", new String[] {"2026-01-01"}));
        guard.guard(request);
        assertThat(request.getParameters().get("centre")).containsExactly("Organization/A");
    }

    @Test
    void ehrAuditNamingACentre_isLeftForTheRulesToJudge() {
        ServletRequestDetails request = request(
                RestOperationTypeEnum.EXTENDED_OPERATION_TYPE, "Measure", "$audit", Map.of("centre", new String[] {
                    "Organization/B"
                }));
        guard.guard(request);
        assertThat(request.getParameters().get("centre")).containsExactly("Organization/B");
    }

    @Test
    void ehrTaskSearch_isNarrowedToTasksItsCentreOwns() {
        ServletRequestDetails request =
                request(RestOperationTypeEnum.SEARCH_TYPE, "Task", null, Map.of("status", new String[] {"requested"}));
        guard.guard(request);
        assertThat(request.getParameters().get("owner")).containsExactly("Organization/A");
    }

    @Test
    void ehrTaskSearchForAnotherOwnerOrByChain_isRefused() {
        assertThatThrownBy(() -> guard.guard(request(
                        RestOperationTypeEnum.SEARCH_TYPE, "Task", null, Map.of("owner", new String[] {"Organization/B"
                        }))))
                .isInstanceOf(ForbiddenOperationException.class);
        assertThatThrownBy(() -> guard.guard(request(
                        RestOperationTypeEnum.SEARCH_TYPE,
                        "Task",
                        null,
                        Map.of("owner:Organization.name", new String[] {"x"}))))
                .isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void ehrConditionalCreateOfTask_isRefused() {
        ServletRequestDetails request = request(RestOperationTypeEnum.CREATE, "Task", null, Map.of());
        ((MockHttpServletRequest) request.getServletRequest()).addHeader("If-None-Exist", "identifier=x");
        assertThatThrownBy(() -> guard.guard(request)).isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void systemLevelRequests_withoutAResourceType_passTheTaskChecks() {
        guard.guard(request(RestOperationTypeEnum.TRANSACTION, null, null, Map.of()));
        guard.guard(request(RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null, "$export", Map.of()));
    }

    @Test
    void kindsThatMayNotReadPatients_mayNotSearchThroughChainsOrReverseChains() {
        for (ClientIdentity client : List.of(
                client(ClientKind.GOVERNANCE, false),
                client(ClientKind.ADMIN, false),
                client(ClientKind.REGISTRY, false))) {
            for (String parameter : List.of(
                    "patient.identifier",
                    "patient:Patient.family",
                    "entity:Patient.birthdate",
                    "patient.organization.name",
                    "_has:Patient:organization:identifier")) {
                ServletRequestDetails request = request(
                        RestOperationTypeEnum.SEARCH_TYPE, "AuditEvent", null, Map.of(parameter, new String[] {"x"}));
                request.getServletRequest().setAttribute(ClientIdentity.REQUEST_ATTRIBUTE, client);
                assertThatThrownBy(() -> guard.guard(request))
                        .as(client.kind() + " " + parameter)
                        .isInstanceOf(ForbiddenOperationException.class);
            }
        }
    }

    @Test
    void kindsThatReadPatients_keepChains() {
        ServletRequestDetails request = request(
                RestOperationTypeEnum.SEARCH_TYPE, "Observation", null, Map.of("subject:Patient.family", new String[] {
                    "x"
                }));
        request.getServletRequest().setAttribute(ClientIdentity.REQUEST_ATTRIBUTE, client(ClientKind.REGISTRY, true));
        guard.guard(request);
    }

    @Test
    void ehrSearchOfTheOperatorRegister_mayNotReachIntoPatients() {
        guard.guard(
                request(RestOperationTypeEnum.SEARCH_TYPE, "Practitioner", null, Map.of("name", new String[] {"x"})));
        for (String parameter : List.of("_has:Procedure:performer:subject", "_revinclude", "practitioner.name")) {
            assertThatThrownBy(() -> guard.guard(request(
                            RestOperationTypeEnum.SEARCH_TYPE,
                            "PractitionerRole",
                            null,
                            Map.of(parameter, new String[] {"x"}))))
                    .as(parameter)
                    .isInstanceOf(ForbiddenOperationException.class);
        }
    }

    @Test
    void instanceLevelBundleUrls_areToldFromSearches() {
        assertThat(CentreSearchNarrowingInterceptor.isInstanceLevel("Patient/5"))
                .isTrue();
        assertThat(CentreSearchNarrowingInterceptor.isInstanceLevel("Patient/5/_history/2"))
                .isTrue();
        assertThat(CentreSearchNarrowingInterceptor.isInstanceLevel("Patient/5/$everything?_count=3"))
                .isTrue();
        assertThat(CentreSearchNarrowingInterceptor.isInstanceLevel("Patient?_id=5"))
                .isFalse();
        assertThat(CentreSearchNarrowingInterceptor.isInstanceLevel("Patient/_search?_id=5"))
                .isFalse();
        assertThat(CentreSearchNarrowingInterceptor.isInstanceLevel("Observation/_history"))
                .isFalse();
        assertThat(CentreSearchNarrowingInterceptor.isInstanceLevel("Patient/$match"))
                .isFalse();
    }

    private static ClientIdentity client(ClientKind kind, boolean identifiable) {
        return new ClientIdentity(
                "test",
                Optional.of(kind),
                Optional.empty(),
                SmartScopes.parse(List.of("system/*.rs")),
                identifiable,
                false);
    }

    private static ServletRequestDetails request(
            RestOperationTypeEnum operation, String type, String name, Map<String, String[]> parameters) {
        ServletRequestDetails request = GuardRequests.ofEhrOfCentreA(operation, type, name);
        request.setParameters(new HashMap<>(parameters));
        return request;
    }
}
