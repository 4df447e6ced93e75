package org.mcsfhir.server.cases;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.TokenParam;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.mcsfhir.server.guide.GuideCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the case table equal to what {@link CaseReader} reads from the resources: refreshes the rows of insertions a
 * committed write concerned, rebuilds every row on demand or when the definition version changed, and compares a
 * sample of rows with the resources, reporting the rows that differ as the {@code mcs.cases.table.drift} gauge.
 *
 * <p>A write never waits for the table. Announcements collect for {@code batchDelay} and are then read together on
 * one background thread per node, with the reader's set-based searches: a dozen searches per batch rather than per
 * write, which is what keeps the upkeep's cost to a write small (docs/performance.md). A reader of the table on this
 * node calls {@link #awaitCurrent} first, which reads what is waiting at once, so the delay is never seen here;
 * another node sees a write after at most the delay and one batch's read.
 */
public class CaseTableKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CaseTableKeeper.class);
    /** Insertions read per batch of searches, bounding the memory of a refresh or rebuild. */
    private static final int CHUNK = 500;

    private final CaseTable table;
    private final CaseStore store;
    private final CaseReader reader;
    private final Duration batchDelay;
    private final ScheduledExecutorService worker;
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean batchScheduled = new AtomicBoolean();
    private final AtomicLong drift = new AtomicLong();
    private final Counter refreshed;
    private final Timer batches;

    public CaseTableKeeper(CaseTable table, CaseStore store, MeterRegistry meters, Duration batchDelay) {
        this.table = table;
        this.store = store;
        this.reader = new CaseReader(store);
        this.batchDelay = batchDelay;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "mcs-case-table");
            thread.setDaemon(true);
            return thread;
        });
        meters.gauge("mcs.cases.table.drift", drift);
        this.refreshed = meters.counter("mcs.cases.table.refreshed");
        this.batches = Timer.builder("mcs.cases.table.batch")
                .description("Reading and writing the rows of one batch of announced writes (the table's lag)")
                .register(meters);
    }

    /**
     * Re-reads within the batch delay the row of an insertion ({@code Procedure/id}) or a patient's insertions
     * ({@code Patient/id}).
     */
    void announce(String reference) {
        waiting.add(reference);
        if (batchScheduled.compareAndSet(false, true)) {
            worker.schedule(this::refreshWaiting, batchDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Waits until everything announced so far is in the table (tests, the admin operation). */
    void awaitAnnounced(long timeoutMs) throws InterruptedException, ExecutionException, TimeoutException {
        worker.submit(this::refreshWaiting).get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Waits until everything announced on this node so far, and a rebuild in progress, is in the table: a reader of
     * the table then sees every write committed here before it asked. False when that takes longer than the timeout.
     */
    public boolean awaitCurrent(Duration timeout) {
        try {
            awaitAnnounced(timeout.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** On the table's thread: reads the rows of everything announced so far, together. */
    private void refreshWaiting() {
        batchScheduled.set(false); // from here on, an announcement schedules the next batch
        List<String> references = new ArrayList<>();
        for (Iterator<String> it = waiting.iterator(); it.hasNext(); ) {
            references.add(it.next());
            it.remove();
        }
        if (references.isEmpty()) {
            return;
        }
        try {
            batches.record(() -> refresh(references));
        } catch (RuntimeException e) {
            // the rows stay as they were; $case-table-check reports them, $case-table-rebuild mends them
            log.warn("MCS-0880: case table rows of {} not refreshed: {}", references, e.getMessage());
        }
    }

    /** The rows of the named insertions and of every insertion of the named patients; gone insertions lose theirs. */
    private void refresh(List<String> references) {
        Set<String> procedureIds = new LinkedHashSet<>();
        List<String> patients = new ArrayList<>();
        for (String reference : references) {
            if (reference.startsWith("Patient/")) {
                patients.add(reference);
            } else {
                procedureIds.add(reference.substring(reference.indexOf('/') + 1));
            }
        }
        Map<String, Procedure> insertions = new LinkedHashMap<>();
        store.insertionsOf(patients)
                .forEach(p -> insertions.put(p.getIdElement().getIdPart(), p));
        procedureIds.removeAll(insertions.keySet()); // an insertion's write announces its patient too: found already
        Map<String, Procedure> named = store.byId(Procedure.class, procedureIds);
        for (String id : procedureIds) {
            Procedure procedure = named.get(id);
            if (procedure != null && CaseCodes.isInsertion(procedure)) {
                insertions.put(id, procedure);
            } else {
                table.remove(id);
            }
        }
        put(List.copyOf(insertions.values()));
    }

    /** Reads and writes the rows of these insertions, {@link #CHUNK} at a time; their ids. */
    private List<String> put(List<Procedure> insertions) {
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < insertions.size(); from += CHUNK) {
            for (InsertionCase c :
                    reader.readAll(insertions.subList(from, Math.min(insertions.size(), from + CHUNK)), null)) {
                table.put(CaseRow.of(c));
                refreshed.increment();
                ids.add(c.id());
            }
        }
        return ids;
    }

    /** Rebuilds every row from the resources, on the table's thread (after what was announced); the row count. */
    long rebuild() throws Exception {
        return worker.submit(this::rebuildNow).get();
    }

    /** Rebuilds on the table's thread when the stored definition version is not {@link CaseTable#VERSION}. */
    void rebuildIfOutdated() {
        worker.execute(() -> {
            if (!CaseTable.VERSION.equals(table.builtVersion().orElse(null))) {
                long rows = rebuildNow();
                log.info("case table built (definition version {}): {} insertions", CaseTable.VERSION, rows);
            }
        });
    }

    private long rebuildNow() {
        List<Procedure> insertions = store.search(
                Procedure.class,
                new SearchParameterMap()
                        .add(Procedure.SP_CODE, new TokenParam(GuideCodes.SNOMED, GuideCodes.INSERTION_CODE)));
        List<String> ids = put(insertions);
        table.removeAllExcept(ids);
        table.markBuilt(CaseTable.VERSION);
        return ids.size();
    }

    /**
     * Compares up to {@code sampleSize} stored rows with what the resources say now (the most recently started
     * first); the ids of rows that differ, also published as the drift gauge.
     */
    List<String> check(int sampleSize) throws Exception {
        return worker.submit(() -> {
                    List<String> drifted = new ArrayList<>();
                    for (String id : table.sample(sampleSize)) {
                        if (!matchesResources(id)) {
                            drifted.add(id);
                        }
                    }
                    drift.set(drifted.size());
                    return drifted;
                })
                .get();
    }

    /** Whether the stored row of one insertion is what the resources say (absent when there is no insertion). */
    boolean matchesResources(String insertionId) {
        Procedure insertion = store.read(Procedure.class, new Reference("Procedure/" + insertionId));
        Optional<CaseRow> expected = insertion == null || !CaseCodes.isInsertion(insertion)
                ? Optional.empty()
                : Optional.of(CaseRow.of(reader.read(insertion)));
        return expected.equals(table.get(insertionId));
    }

    @Override
    public void close() throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }
}
