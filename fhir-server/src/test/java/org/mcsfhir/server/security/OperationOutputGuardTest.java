package org.mcsfhir.server.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * What an operation may hand a centre-bound client: exactly what its reads would, whatever container the answer
 * comes in (a collection Bundle, which HAPI's own check treats as opaque, or Parameters). Centre A's patient is
 * {@code Patient/pa}; everything else about patients belongs to centre B. HAPI's rule engine decides, with the rules
 * {@link AccessRules} builds; ownership of Devices comes from a stub directory.
 */
class OperationOutputGuardTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private static final CentreDirectory DIRECTORY = new CentreDirectory(FHIR, null) {
        @Override
        public boolean belongsTo(IBaseResource resource, String centre) {
            return resource instanceof Device device
                    && device.getOwner().getReference().equals("Organization/" + centre);
        }
    };

    private final CentreAuthorizationInterceptor authorization =
            new CentreAuthorizationInterceptor(new AccessRules(FHIR, DIRECTORY), null) {
                @Override
                public List<IAuthRule> buildRuleList(RequestDetails request) {
                    return new AccessRules(FHIR, DIRECTORY).rulesFor(ClientIdentity.of(request), () -> Set.of("pa"));
                }
            };

    private final OperationOutputGuard guard = new OperationOutputGuard(FHIR, authorization);

    @Test
    void aCaseOfTheOwnCentre_goesOut() {
        Bundle bundle = collection(
                patient("pa"),
                organization("A"),
                new Practitioner().setId("op1"),
                device("d1", "A"),
                observation("o1", "pa"),
                consent("c1", "pa"),
                auditReport("A"));
        assertThatCode(() -> guard.checkOutput(request(), bundle)).doesNotThrowAnyException();
    }

    @Test
    void anotherCentresRecordInsideACollectionBundle_isRefused() {
        for (IBaseResource foreign : List.of(
                patient("pb"),
                organization("B"),
                device("d2", "B"),
                observation("o2", "pb"),
                consent("c2", "pb"),
                auditReport("B"))) {
            Bundle bundle = collection(patient("pa"), foreign);
            assertThatThrownBy(() -> guard.checkOutput(request(), bundle))
                    .as(foreign.fhirType())
                    .isInstanceOf(ForbiddenOperationException.class);
        }
    }

    @Test
    void anotherCentresRecordInsideParametersOrANestedBundle_isRefused() {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("return").setResource(collection(observation("o2", "pb")));
        assertThatThrownBy(() -> guard.checkOutput(request(), parameters))
                .isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void clientsNotBoundToACentre_areLeftToTheirOperationRules() {
        ServletRequestDetails request = request();
        ((MockHttpServletRequest) request.getServletRequest())
                .setAttribute(
                        ClientIdentity.REQUEST_ATTRIBUTE,
                        new ClientIdentity(
                                "registry",
                                Optional.of(ClientKind.REGISTRY),
                                Optional.empty(),
                                SmartScopes.parse(List.of("system/*.rs")),
                                false,
                                false));
        assertThatCode(() -> guard.checkOutput(request, collection(patient("pb"))))
                .doesNotThrowAnyException();
    }

    private static ServletRequestDetails request() {
        ServletRequestDetails request = GuardRequests.ofEhrOfCentreA(
                RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE, "Procedure", "$registry-case");
        request.setServer(new RestfulServer(FHIR));
        return request;
    }

    private static Bundle collection(IBaseResource... resources) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        for (IBaseResource resource : resources) {
            bundle.addEntry().setResource((Resource) resource);
        }
        return bundle;
    }

    private static Patient patient(String id) {
        Patient patient = new Patient();
        patient.setId("Patient/" + id);
        return patient;
    }

    private static Organization organization(String id) {
        Organization organization = new Organization();
        organization.setId("Organization/" + id);
        return organization;
    }

    private static Device device(String id, String owner) {
        Device device = new Device().setOwner(new Reference("Organization/" + owner));
        device.setId("Device/" + id);
        return device;
    }

    private static Observation observation(String id, String patient) {
        Observation observation = new Observation().setSubject(new Reference("Patient/" + patient));
        observation.setId("Observation/" + id);
        return observation;
    }

    private static Consent consent(String id, String patient) {
        Consent consent = new Consent().setPatient(new Reference("Patient/" + patient));
        consent.setId("Consent/" + id);
        return consent;
    }

    private static MeasureReport auditReport(String centre) {
        return new MeasureReport().setReporter(new Reference("Organization/" + centre));
    }
}
