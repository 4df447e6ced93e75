package org.mcsfhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class DaoAuditEventSinkTest {

    private final List<Bundle> stored = new CopyOnWriteArrayList<>();

    @SuppressWarnings("unchecked")
    private final IFhirSystemDao<Bundle, ?> recordingDao = (IFhirSystemDao<Bundle, ?>) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {IFhirSystemDao.class}, (proxy, method, args) -> {
                if (method.getName().equals("transaction")) {
                    stored.add((Bundle) args[1]);
                }
                return null;
            });

    @Test
    void anEventRaisedInsideATransactionIsStoredOnlyAfterItCompletes() throws Exception {
        try (DaoAuditEventSink sink = new DaoAuditEventSink(recordingDao, 10)) {
            TransactionSynchronizationManager.initSynchronization();
            try {
                sink.recordAuditEvent(new AuditEvent());
                TimeUnit.MILLISECONDS.sleep(600);
                assertThat(stored).as("stored before the write committed").isEmpty();

                TransactionSynchronizationManager.getSynchronizations()
                        .forEach(s -> s.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
            } finally {
                TransactionSynchronizationManager.clearSynchronization();
            }
            awaitStored(1);
        }
    }

    @Test
    void theEventsOfOneTransactionAreStoredMergedPerPatient() throws Exception {
        try (DaoAuditEventSink sink = new DaoAuditEventSink(recordingDao, 10)) {
            TransactionSynchronizationManager.initSynchronization();
            try {
                for (String resource : List.of("Patient/1", "Observation/2", "Condition/3")) {
                    AuditEvent event = new AuditEvent();
                    event.addEntity().getWhat().setReference(resource);
                    event.addEntity()
                            .setRole(new Coding(null, "1", null))
                            .getWhat()
                            .setReference("Patient/1");
                    sink.recordAuditEvent(event);
                }
                assertThat(TransactionSynchronizationManager.getSynchronizations())
                        .hasSize(1);
                TransactionSynchronizationManager.getSynchronizations()
                        .forEach(s -> s.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
            } finally {
                TransactionSynchronizationManager.clearSynchronization();
            }
            awaitStored(1);
            assertThat(stored.get(0).getEntry()).hasSize(1);
            assertThat(((AuditEvent) stored.get(0).getEntry().get(0).getResource()).getEntity())
                    .hasSize(4);
            assertThat(TransactionSynchronizationManager.getResourceMap()).isEmpty();
        }
    }

    @Test
    void anEventOutsideATransactionIsStoredAtOnce() throws Exception {
        try (DaoAuditEventSink sink = new DaoAuditEventSink(recordingDao, 10)) {
            sink.recordAuditEvent(new AuditEvent());
            awaitStored(1);
        }
    }

    private void awaitStored(int bundles) throws InterruptedException {
        for (int i = 0; i < 50 && stored.size() < bundles; i++) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertThat(stored).hasSize(bundles);
    }
}
