package org.mcsfhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import java.lang.reflect.Proxy;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

@ExtendWith(OutputCaptureExtension.class)
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

    private volatile boolean databaseDown;
    private final AtomicInteger attempts = new AtomicInteger();

    @SuppressWarnings("unchecked")
    private final IFhirSystemDao<Bundle, ?> outageDao = (IFhirSystemDao<Bundle, ?>) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {IFhirSystemDao.class}, (proxy, method, args) -> {
                if (method.getName().equals("transaction")) {
                    attempts.incrementAndGet();
                    if (databaseDown) {
                        throw new CannotCreateTransactionException(
                                "Could not open JPA EntityManager for transaction",
                                new SQLTransientConnectionException("Connection is not available"));
                    }
                    stored.add((Bundle) args[1]);
                }
                return null;
            });

    @Test
    void whileTheDatabaseIsUnavailable_theEventsWait_andAreStoredOnceWhenItIsBack() throws Exception {
        databaseDown = true;
        try (DaoAuditEventSink sink = new DaoAuditEventSink(outageDao, 10)) {
            for (int i = 0; i < 3; i++) {
                sink.recordAuditEvent(new AuditEvent().setOutcomeDesc("event " + i));
            }
            TimeUnit.MILLISECONDS.sleep(1500);
            assertThat(stored).isEmpty();
            assertThat(sink.pending()).as("held, not given up").isEqualTo(3);
            assertThat(attempts.get())
                    .as("whole batches retried with a pause, not each event three times")
                    .isBetween(1, 2);

            databaseDown = false;
            // the writer may have taken the first event alone before the others were queued: one or two Bundles
            for (int i = 0; i < 100 && (storedEvents().size() < 3 || sink.pending() > 0); i++) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            assertThat(storedEvents()).containsExactly("event 0", "event 1", "event 2");
            assertThat(sink.pending()).isZero();
        }
    }

    private List<String> storedEvents() {
        return stored.stream()
                .flatMap(bundle -> bundle.getEntry().stream())
                .map(entry -> ((AuditEvent) entry.getResource()).getOutcomeDesc())
                .toList();
    }

    @Test
    void stoppedWhileTheDatabaseIsUnavailable_closesAtOnce_andLogsEveryEventInFull(CapturedOutput output)
            throws Exception {
        databaseDown = true;
        DaoAuditEventSink sink = new DaoAuditEventSink(outageDao, 10);
        sink.recordAuditEvent(new AuditEvent().setOutcomeDesc("first"));
        sink.recordAuditEvent(new AuditEvent().setOutcomeDesc("second"));
        for (int i = 0; i < 50 && attempts.get() == 0; i++) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        FhirContext.forR4Cached().newJsonParser().encodeResourceToString(new AuditEvent()); // not part of the timing
        long started = System.nanoTime();
        sink.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("no further attempt once the database is known to be away")
                .isLessThan(Duration.ofSeconds(2));
        assertThat(sink.pending()).isZero();
        assertThat(output.getOut().lines().filter(line -> line.contains("MCS-0904: AuditEvent not stored: {")))
                .hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("\"outcomeDesc\":\"first\""))
                .anySatisfy(line -> assertThat(line).contains("\"outcomeDesc\":\"second\""));
    }

    private void awaitStored(int bundles) throws InterruptedException {
        for (int i = 0; i < 50 && stored.size() < bundles; i++) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertThat(stored).hasSize(bundles);
    }
}
