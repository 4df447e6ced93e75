package org.mcsfhir.server.security;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Stores AuditEvents off the request thread: a bounded in-memory queue drained by one background thread, which writes
 * what has accumulated as one transaction Bundle through the system DAO (a system request, so the events are neither
 * authorised nor audited themselves). A clinical request never waits for its audit record; if the queue is full the
 * event is dropped and counted in the log rather than blocking care. Stopping the server drains the queue first.
 */
class DaoAuditEventSink implements IBalpAuditEventSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DaoAuditEventSink.class);
    private static final int BATCH = 200;

    private final IFhirSystemDao<Bundle, ?> systemDao;
    private final BlockingQueue<AuditEvent> queue;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;

    DaoAuditEventSink(IFhirSystemDao<Bundle, ?> systemDao, int capacity) {
        this.systemDao = systemDao;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = new Thread(this::run, "mcs-audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * BALP records writes from a pre-commit hook, while the written resource is not yet visible to other transactions.
     * Queued at once, the writer could store the event first and find its reference dangling (stored then only as an
     * identifier, invisible to an {@code entity=} search). So an event raised inside a transaction joins the queue
     * after that transaction completes; a rolled-back write is still recorded (its references become identifiers).
     * The events of one transaction are merged per patient first ({@link TransactionAuditEvents}): a transaction
     * Bundle of 500 entries about 12 patients is stored as 12 AuditEvents, not 500.
     */
    @Override
    public void recordAuditEvent(AuditEvent event) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            enqueue(event);
            return;
        }
        TransactionAuditEvents pending = (TransactionAuditEvents) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            TransactionAuditEvents events = new TransactionAuditEvents();
            TransactionSynchronizationManager.bindResource(this, events);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(DaoAuditEventSink.this);
                    events.merged().forEach(DaoAuditEventSink.this::enqueue);
                }
            });
            pending = events;
        }
        pending.add(event);
    }

    private void enqueue(AuditEvent event) {
        if (!queue.offer(event)) {
            long count = dropped.incrementAndGet();
            if (count == 1 || count % 1000 == 0) {
                LOG.error(
                        "MCS-0901: audit queue full, {} AuditEvent(s) dropped so far"
                                + " (mcs.security.access-log.queue-capacity)",
                        count);
            }
        }
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            try {
                AuditEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<AuditEvent> batch = new ArrayList<>();
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                store(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void store(List<AuditEvent> events) {
        try {
            systemDao.transaction(new SystemRequestDetails(), transactionOf(events));
        } catch (RuntimeException batchFailed) {
            // One event naming something that is not (or no longer) stored, e.g. a deleted resource or a centre
            // without an Organization, must not cost the others their record: store them one by one, and such an
            // event with its references kept as identifiers instead.
            events.forEach(this::storeOne);
        }
    }

    private void storeOne(AuditEvent event) {
        // as recorded; else with the accessed resources (e.g. just deleted) named by identifier, the agents kept
        // searchable; else with every reference as an identifier
        RuntimeException last = null;
        for (AuditEvent attempt : List.of(event, withLogicalEntities(event), withLogicalReferences(event))) {
            try {
                systemDao.transaction(new SystemRequestDetails(), transactionOf(List.of(attempt)));
                return;
            } catch (RuntimeException e) {
                last = e;
            }
        }
        LOG.error("MCS-0902: could not store an AuditEvent: {}", last.getMessage());
    }

    private static Bundle transactionOf(List<AuditEvent> events) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (AuditEvent event : events) {
            transaction
                    .addEntry()
                    .setResource(event)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("AuditEvent");
        }
        return transaction;
    }

    /** The same event with the entities' literal references turned into identifiers holding the same relative id. */
    static AuditEvent withLogicalEntities(AuditEvent event) {
        AuditEvent copy = event.copy();
        copy.getEntity().forEach(entity -> toLogical(entity.getWhat()));
        return copy;
    }

    /** The same event with every literal reference turned into an identifier holding the same relative id. */
    static AuditEvent withLogicalReferences(AuditEvent event) {
        AuditEvent copy = withLogicalEntities(event);
        copy.getAgent().forEach(agent -> toLogical(agent.getWho()));
        return copy;
    }

    private static void toLogical(Reference reference) {
        if (reference != null && reference.hasReference()) {
            reference.setIdentifier(new Identifier()
                    .setSystem("https://mcs-fhir.org/fhir/sid/resource")
                    .setValue(reference.getReference()));
            reference.setReference(null);
        }
    }

    /** Events waiting to be stored (for tests and metrics). */
    int pending() {
        return queue.size();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        writer.join(TimeUnit.SECONDS.toMillis(30));
    }
}
