package org.mcsfhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The policy for the operations of other features, decided by HAPI's rule engine on the rules {@link AccessRules}
 * builds, without a server or database: centre ownership comes from a stub directory (centre A owns
 * Procedure/insertion-a and Device/pump-a; anything else belongs to centre B).
 */
class AccessRulesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private static final CentreDirectory DIRECTORY = new CentreDirectory(FHIR, null) {
        @Override
        public boolean storedBelongsTo(IIdType id, String centre) {
            return centre.equals("A") == id.getIdPart().endsWith("-a");
        }

        @Override
        public boolean deviceBelongsTo(String deviceId, String centre) {
            return centre.equals("A") == deviceId.endsWith("-a");
        }
    };

    private static final AccessRules RULES = new AccessRules(FHIR, DIRECTORY);

    private static final ClientIdentity EHR_A = client(ClientKind.EHR, "A", "system/*.cruds", false);
    private static final ClientIdentity GATEWAY_A =
            client(ClientKind.DEVICE_GATEWAY, "A", "system/Observation.cu", false);
    private static final ClientIdentity REGISTRY = client(ClientKind.REGISTRY, null, "system/*.rs", false);
    private static final ClientIdentity ADMIN =
            client(ClientKind.ADMIN, null, "system/ValueSet.cruds system/Organization.cruds", false);
    private static final ClientIdentity GOVERNANCE =
            client(ClientKind.GOVERNANCE, null, "system/AuditEvent.rs system/MeasureReport.rs", false);

    @Nested
    class OutcomeAudit {

        @Test
        void ehrAuditingItsOwnCentre_isAllowed() {
            assertThat(decide(EHR_A, audit(Map.of("centre", new String[] {"Organization/A"}))))
                    .isTrue();
            assertThat(decide(EHR_A, audit(Map.of("centre", new String[] {"A"}))))
                    .isTrue();
        }

        @Test
        void ehrAuditingAnotherCentre_isDenied() {
            assertThat(decide(EHR_A, audit(Map.of("centre", new String[] {"Organization/B"}))))
                    .isFalse();
        }

        @Test
        void ehrAuditingEveryCentreOrTwoCentres_isDenied() {
            assertThat(decide(EHR_A, audit(Map.of()))).isFalse();
            assertThat(decide(EHR_A, audit(Map.of("centre", new String[] {"Organization/A", "Organization/B"}))))
                    .isFalse();
        }

        @Test
        void ehrPostingParametersForItsOwnCentre_isAllowedAndForAnother_isDenied() {
            RequestDetails own = audit(Map.of());
            own.setResource(new Parameters().addParameter("centre", new Reference("Organization/A")));
            RequestDetails other = audit(Map.of());
            other.setResource(new Parameters().addParameter("centre", new Reference("Organization/B")));
            assertThat(decide(EHR_A, own)).isTrue();
            assertThat(decide(EHR_A, other)).isFalse();
        }

        @Test
        void registryAndGovernanceAuditEveryCentre() {
            assertThat(decide(REGISTRY, audit(Map.of()))).isTrue();
            assertThat(decide(GOVERNANCE, audit(Map.of()))).isTrue();
            assertThat(decide(GOVERNANCE, audit(Map.of("centre", new String[] {"Organization/B"}))))
                    .isTrue();
        }

        @Test
        void gatewayAndAdmin_areDenied() {
            assertThat(decide(GATEWAY_A, audit(Map.of("centre", new String[] {"Organization/A"}))))
                    .isFalse();
            assertThat(decide(ADMIN, audit(Map.of()))).isFalse();
        }
    }

    @Nested
    class RegistryCase {

        @Test
        void ehr_onlyForItsOwnCentresInsertions() {
            assertThat(decide(EHR_A, instanceOperation("Procedure", "insertion-a", AccessRules.REGISTRY_CASE)))
                    .isTrue();
            assertThat(decide(EHR_A, instanceOperation("Procedure", "insertion-b", AccessRules.REGISTRY_CASE)))
                    .isFalse();
        }

        @Test
        void registry_anyCentre_othersNever() {
            assertThat(decide(REGISTRY, instanceOperation("Procedure", "insertion-b", AccessRules.REGISTRY_CASE)))
                    .isTrue();
            for (ClientIdentity client : List.of(GATEWAY_A, ADMIN, GOVERNANCE)) {
                assertThat(decide(client, instanceOperation("Procedure", "insertion-a", AccessRules.REGISTRY_CASE)))
                        .as(client.kind().orElseThrow().name())
                        .isFalse();
            }
        }
    }

    @Nested
    class TelemetrySeries {

        @Test
        void ehr_onlyForItsOwnCentresPumps() {
            assertThat(decide(EHR_A, instanceOperation("Device", "pump-a", AccessRules.TELEMETRY_SERIES)))
                    .isTrue();
            assertThat(decide(EHR_A, instanceOperation("Device", "pump-b", AccessRules.TELEMETRY_SERIES)))
                    .isFalse();
        }

        @Test
        void registry_anyCentre_gatewayAdminGovernanceNever() {
            assertThat(decide(REGISTRY, instanceOperation("Device", "pump-b", AccessRules.TELEMETRY_SERIES)))
                    .isTrue();
            for (ClientIdentity client : List.of(GATEWAY_A, ADMIN, GOVERNANCE)) {
                assertThat(decide(client, instanceOperation("Device", "pump-a", AccessRules.TELEMETRY_SERIES)))
                        .as(client.kind().orElseThrow().name())
                        .isFalse();
            }
        }
    }

    @Nested
    class WorklistRefresh {

        @Test
        void registryMayRefreshTheWorklist_noOneElse() {
            assertThat(decide(REGISTRY, typeOperation("Task", AccessRules.WORKLIST_REFRESH)))
                    .isTrue();
            for (ClientIdentity client : List.of(EHR_A, GATEWAY_A, ADMIN, GOVERNANCE)) {
                assertThat(decide(client, typeOperation("Task", AccessRules.WORKLIST_REFRESH)))
                        .as(client.kind().orElseThrow().name())
                        .isFalse();
            }
        }
    }

    @Nested
    class CaseTable {

        @Test
        void adminMayRebuildAndCheckTheCaseTable_noOneElse_andNoOneReadsARowByToken() {
            for (String operation : List.of("$case-table-rebuild", "$case-table-check")) {
                assertThat(decide(ADMIN, serverOperation(operation)))
                        .as(operation)
                        .isTrue();
                for (ClientIdentity client : List.of(EHR_A, GATEWAY_A, REGISTRY, GOVERNANCE)) {
                    assertThat(decide(client, serverOperation(operation)))
                            .as(client.kind().orElseThrow().name() + " " + operation)
                            .isFalse();
                }
            }
            for (ClientIdentity client : List.of(EHR_A, GATEWAY_A, REGISTRY, ADMIN, GOVERNANCE)) {
                assertThat(decide(client, serverOperation("$case-table-row"))).isFalse();
            }
        }
    }

    private static RequestDetails serverOperation(String operation) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setFhirContext(FHIR);
        request.setServer(new RestfulServer(FHIR));
        request.setRequestType(RequestTypeEnum.POST);
        request.setRestOperationType(RestOperationTypeEnum.EXTENDED_OPERATION_SERVER);
        request.setOperation(operation);
        request.setParameters(new HashMap<>());
        return request;
    }

    private static RequestDetails typeOperation(String type, String operation) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setFhirContext(FHIR);
        request.setServer(new RestfulServer(FHIR));
        request.setRequestType(RequestTypeEnum.POST);
        request.setRestOperationType(RestOperationTypeEnum.EXTENDED_OPERATION_TYPE);
        request.setResourceName(type);
        request.setOperation(operation);
        request.setParameters(new HashMap<>());
        return request;
    }

    private static boolean decide(ClientIdentity client, RequestDetails request) {
        AuthorizationInterceptor engine = new AuthorizationInterceptor(PolicyEnum.DENY) {
            @Override
            public List<IAuthRule> buildRuleList(RequestDetails ignored) {
                return RULES.rulesFor(client, List::of);
            }
        };
        IIdType id = request.getId();
        return engine.applyRulesAndReturnDecision(
                                request.getRestOperationType(),
                                request,
                                null,
                                id,
                                null,
                                Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
                        .getDecision()
                == PolicyEnum.ALLOW;
    }

    private static RequestDetails audit(Map<String, String[]> parameters) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setFhirContext(FHIR);
        request.setServer(new RestfulServer(FHIR));
        request.setRequestType(RequestTypeEnum.GET);
        request.setRestOperationType(RestOperationTypeEnum.EXTENDED_OPERATION_TYPE);
        request.setResourceName("Measure");
        request.setOperation(AccessRules.AUDIT);
        request.setParameters(new HashMap<>(parameters));
        return request;
    }

    private static RequestDetails instanceOperation(String type, String id, String operation) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setFhirContext(FHIR);
        request.setServer(new RestfulServer(FHIR));
        request.setRequestType(RequestTypeEnum.GET);
        request.setRestOperationType(RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE);
        request.setResourceName(type);
        request.setId(new IdType(type, id));
        request.setOperation(operation);
        request.setParameters(new HashMap<>());
        return request;
    }

    private static ClientIdentity client(ClientKind kind, String centre, String scopes, boolean identifiable) {
        return new ClientIdentity(
                "test-" + kind.claimValue(),
                Optional.of(kind),
                Optional.ofNullable(centre),
                SmartScopes.parse(List.of(scopes.split(" "))),
                identifiable,
                false);
    }
}
