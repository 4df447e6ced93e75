package org.mcsfhir.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.parser.IParser;
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
import org.mcsfhir.server.errors.DatabaseOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Stores AuditEvents off the request thread: a bounded in-memory queue drained by one background thread, which writes
 * what has accumulated as one transaction Bundle through the system DAO (a system request, so the events are neither
 * authorised nor audited themselves). A clinical request never waits for its audit record; if the queue is full the
 * event is dropped and counted in the log rather than blocking care. While the database is unavailable the events
 * wait in memory and are stored when it is back; stopping the server drains the queue first, and what cannot be
 * stored then is written to the log in full.
 */
class DaoAuditEventSink implements IBalpAuditEventSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DaoAuditEventSink.class);
    private static final int BATCH = 200;
    private static final long FIRST_RETRY_PAUSE_MS = 1000;
    private static final long MAX_RETRY_PAUSE_MS = 30_000;
    static final int STOP_DRAIN_SECONDS = 15;

    private final IFhirSystemDao<Bundle, ?> systemDao;
    private final BlockingQueue<AuditEvent> queue;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;
    private volatile long stopDeadline = Long.MAX_VALUE;
    /** events taken from the queue but not yet stored */
    private volatile int heldBack;

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
        if (!writer.isAlive()) { // the server has stopped its writer: the log is the only record left
            giveUp(new ArrayList<>(List.of(event)), "the server has stopped storing AuditEvents");
            return;
        }
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
        List<AuditEvent> batch = new ArrayList<>();
        long retryPause = FIRST_RETRY_PAUSE_MS;
        while (running || !batch.isEmpty() || !queue.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    AuditEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
                if (!running && retryPause > FIRST_RETRY_PAUSE_MS) {
                    // the last attempt found no database: another would hold the stop up by a connection timeout
                    giveUp(batch, "the database is unavailable while the server stops");
                    return;
                }
                if (!running && System.nanoTime() > stopDeadline) {
                    giveUp(batch, "the stop's time for storing them ran out");
                    return;
                }
                heldBack = batch.size();
                if (store(batch)) {
                    if (retryPause > FIRST_RETRY_PAUSE_MS) {
                        LOG.warn(
                                "MCS-0903: the database is available again; the AuditEvents held back are being stored");
                    }
                    retryPause = FIRST_RETRY_PAUSE_MS;
                    heldBack = 0;
                    continue;
                }
                if (!running) {
                    giveUp(batch, "the database is unavailable while the server stops");
                    return;
                }
                if (retryPause == FIRST_RETRY_PAUSE_MS) {
                    LOG.error("MCS-0903: the database is unavailable; AuditEvents are held in memory (up to the queue's"
                            + " capacity) and stored when it is back");
                }
                pause(retryPause);
                retryPause = Math.min(retryPause * 2, MAX_RETRY_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                giveUp(batch, "the writer was interrupted");
                return;
            }
        }
    }

    /** Sleeps, but wakes early when the server stops (its last attempt should not wait out a long pause). */
    private void pause(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (running && System.currentTimeMillis() < until) {
            TimeUnit.MILLISECONDS.sleep(Math.min(100, millis));
        }
    }

    /**
     * Stores the batch, removing what is stored. @return false when the database is unavailable: what is left of the
     * batch is to be tried again, nothing of it is given up.
     */
    private boolean store(List<AuditEvent> batch) {
        try {
            systemDao.transaction(new SystemRequestDetails(), transactionOf(batch));
            batch.clear();
            return true;
        } catch (RuntimeException batchFailed) {
            if (DatabaseOutage.causedBy(batchFailed)) {
                return false;
            }
        }
        // One event naming something that is not (or no longer) stored, e.g. a deleted resource or a centre without
        // an Organization, must not cost the others their record: store them one by one, and such an event with its
        // references kept as identifiers instead.
        while (!batch.isEmpty()) {
            if (!storeOne(batch.get(0))) {
                return false;
            }
            batch.remove(0);
        }
        return true;
    }

    /** @return false when the database is unavailable (the event is kept), true when stored or given up on */
    private boolean storeOne(AuditEvent event) {
        // as recorded; else with the accessed resources (e.g. just deleted) named by identifier, the agents kept
        // searchable; else with every reference as an identifier
        RuntimeException last = null;
        for (AuditEvent attempt : List.of(event, withLogicalEntities(event), withLogicalReferences(event))) {
            try {
                systemDao.transaction(new SystemRequestDetails(), transactionOf(List.of(attempt)));
                return true;
            } catch (RuntimeException e) {
                if (DatabaseOutage.causedBy(e)) {
                    return false;
                }
                last = e;
            }
        }
        LOG.error("MCS-0902: could not store an AuditEvent: {}", last.getMessage());
        return true;
    }

    /**
     * The events that cannot be stored before the server stops go to the log, one line each with the whole event as
     * JSON, so that the trail survives in the operator's log collection.
     */
    private void giveUp(List<AuditEvent> batch, String why) {
        queue.drainTo(batch);
        if (batch.isEmpty()) {
            return;
        }
        LOG.error("MCS-0904: {} AuditEvent(s) not stored: {}; each follows as JSON", batch.size(), why);
        IParser json = FhirContext.forR4Cached().newJsonParser();
        batch.forEach(event -> LOG.error("MCS-0904: AuditEvent not stored: {}", json.encodeResourceToString(event)));
        heldBack = 0;
        batch.clear();
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

    /** Events waiting to be stored, those held back by an unavailable database included (for tests and metrics). */
    int pending() {
        return queue.size() + heldBack;
    }

    /**
     * Stores what is queued, for at most {@value #STOP_DRAIN_SECONDS} s; what is left then, or as soon as the database
     * turns out to be unavailable, is written to the log instead ({@code MCS-0904}).
     */
    @Override
    public void close() throws InterruptedException {
        stopDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_DRAIN_SECONDS);
        running = false;
        writer.join(TimeUnit.SECONDS.toMillis(STOP_DRAIN_SECONDS + 10));
        if (!writer.isAlive()) { // what slipped in while the writer was leaving its loop
            giveUp(new ArrayList<>(), "queued while the server stopped");
        }
    }
}
