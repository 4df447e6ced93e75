package org.mcsfhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The shortcut changes nothing that is stored: the writes of a transaction Bundle leave the same merged AuditEvents
 * whether every write gets HAPI's BALP event ({@link BalpAuditCaptureInterceptor}) or only the first of each group.
 */
class BalpWriteCaptureTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @SuppressWarnings("unchecked")
    private final IFhirSystemDao<Bundle, ?> noStorage = (IFhirSystemDao<Bundle, ?>) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {IFhirSystemDao.class}, (proxy, method, args) -> null);

    private final AtomicInteger built = new AtomicInteger();

    @Test
    void aTransactionsWritesLeaveTheSameMergedEventsAsWithBalpAlone() throws Exception {
        List<String> balpAlone = json(mergedEvents(false));
        assertThat(built).as("BALP builds an event per write").hasValue(10);
        built.set(0);

        // six groups: the Patient's own create names it with its version, its compartment's resources without
        assertThat(json(mergedEvents(true))).isEqualTo(balpAlone).hasSize(6);
        assertThat(built).as("BALP builds the first event of each group only").hasValue(6);
    }

    @Test
    void outsideADatabaseTransactionEveryWriteGetsBalpsOwnEvent() throws Exception {
        try (DaoAuditEventSink sink = new DaoAuditEventSink(noStorage, 10)) {
            assertThat(sink.joinTransaction(AuditEvent.AuditEventAction.C, "request-1", Set.of(), () -> {
                        throw new AssertionError("no entity is built without an event to join");
                    }))
                    .isFalse();
        }
    }

    /** create Patient/1, 2 Observations and a Condition of it, an Observation of Patient/9, 2 Organizations, and so on. */
    private List<AuditEvent> mergedEvents(boolean shortcut) throws Exception {
        try (DaoAuditEventSink sink = new DaoAuditEventSink(noStorage, 10) {
            @Override
            public void recordAuditEvent(AuditEvent event) {
                built.incrementAndGet();
                super.recordAuditEvent(event);
            }
        }) {
            AuditContext context = new AuditContext();
            BalpAuditCaptureInterceptor capture =
                    shortcut ? new BalpWriteCapture(sink, context) : new BalpAuditCaptureInterceptor(sink, context);
            ServletRequestDetails request = transactionRequest();
            TransactionSynchronizationManager.initSynchronization();
            try {
                Patient patient = new Patient();
                patient.setId("Patient/1/_history/1");
                capture.hookStoragePrecommitResourceCreated(patient, request);
                capture.hookStoragePrecommitResourceCreated(observation("2", "Patient/1"), request);
                capture.hookStoragePrecommitResourceCreated(observation("3", "Patient/9"), request);
                Condition condition = new Condition().setSubject(new Reference("Patient/1"));
                condition.setId("Condition/4/_history/1");
                capture.hookStoragePrecommitResourceCreated(condition, request);
                capture.hookStoragePrecommitResourceCreated(observation("5", "Patient/1"), request);
                capture.hookStoragePrecommitResourceCreated(organization("6"), request);
                capture.hookStoragePrecommitResourceCreated(organization("7"), request);
                IBaseResource updated = observation("8", "Patient/1");
                capture.hookStoragePrecommitResourceUpdated(updated, updated, request);
                capture.hookStoragePrecommitResourceUpdated(updated, observation("9", "Patient/1"), request);
                capture.hookStoragePrecommitResourceDeleted(observation("10", "Patient/9"), request);
                TransactionAuditEvents pending =
                        (TransactionAuditEvents) TransactionSynchronizationManager.getResource(sink);
                List<AuditEvent> merged = pending.merged();
                TransactionSynchronizationManager.unbindResource(sink);
                return merged;
            } finally {
                TransactionSynchronizationManager.clearSynchronization();
            }
        }
    }

    private static ServletRequestDetails transactionRequest() {
        ServletRequestDetails request = new ServletRequestDetails();
        request.setServer(new RestfulServer(FHIR));
        request.setServletRequest(new MockHttpServletRequest("POST", "/fhir"));
        request.setRestOperationType(RestOperationTypeEnum.TRANSACTION);
        request.setRequestId("request-1");
        request.setFhirServerBase("http://localhost/fhir");
        return request;
    }

    private static Observation observation(String id, String patient) {
        Observation observation = new Observation().setSubject(new Reference(patient));
        observation.setId("Observation/" + id + "/_history/1");
        return observation;
    }

    private static Organization organization(String id) {
        Organization organization = new Organization();
        organization.setId("Organization/" + id + "/_history/1");
        return organization;
    }

    /** As stored, less the time each event was built. */
    private static List<String> json(List<AuditEvent> events) {
        return events.stream()
                .map(event ->
                        FHIR.newJsonParser().encodeResourceToString(event.copy().setRecorded(null)))
                .toList();
    }
}
