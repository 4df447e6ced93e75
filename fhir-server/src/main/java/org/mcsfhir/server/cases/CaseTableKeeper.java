package org.mcsfhir.server.cases;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.TokenParam;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.mcsfhir.server.guide.GuideCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the case table equal to what {@link CaseReader} reads from the resources: refreshes the rows of insertions a
 * committed write concerned (one background thread per node, announcements coalesced, so a write never waits for the
 * table), rebuilds every row on demand or when the definition version changed, and compares a sample of rows with
 * the resources, reporting the rows that differ as the {@code mcs.cases.table.drift} gauge.
 */
public class CaseTableKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CaseTableKeeper.class);
    private static final int REBUILD_CHUNK = 500;

    private final CaseTable table;
    private final CaseStore store;
    private final CaseReader reader;
    private final ExecutorService worker;
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final AtomicLong drift = new AtomicLong();
    private final Counter refreshed;

    public CaseTableKeeper(CaseTable table, CaseStore store, MeterRegistry meters) {
        this.table = table;
        this.store = store;
        this.reader = new CaseReader(store);
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "mcs-case-table");
            thread.setDaemon(true);
            return thread;
        });
        meters.gauge("mcs.cases.table.drift", drift);
        this.refreshed = meters.counter("mcs.cases.table.refreshed");
    }

    /** Re-reads soon the row of an insertion ({@code Procedure/id}) or a patient's insertions ({@code Patient/id}). */
    void announce(String reference) {
        if (!waiting.add(reference)) {
            return;
        }
        worker.execute(() -> {
            waiting.remove(reference);
            try {
                refresh(reference);
            } catch (RuntimeException e) {
                log.warn("MCS-0880: case table row of {} not refreshed: {}", reference, e.getMessage());
            }
        });
    }

    /** Waits until everything announced so far is in the table (tests, the admin operation). */
    void awaitAnnounced(long timeoutMs) throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture.runAsync(() -> {}, worker).get(timeoutMs, TimeUnit.MILLISECONDS);
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

    private void refresh(String reference) {
        String id = reference.substring(reference.indexOf('/') + 1);
        if (reference.startsWith("Patient/")) {
            store.insertionsOf(List.of(reference)).forEach(this::put);
            return;
        }
        Procedure insertion = store.read(Procedure.class, new Reference(reference));
        if (insertion == null || !CaseCodes.isInsertion(insertion)) {
            table.remove(id);
        } else {
            put(insertion);
        }
    }

    private void put(Procedure insertion) {
        table.put(CaseRow.of(reader.read(insertion)));
        refreshed.increment();
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
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < insertions.size(); from += REBUILD_CHUNK) {
            for (InsertionCase c :
                    reader.readAll(insertions.subList(from, Math.min(insertions.size(), from + REBUILD_CHUNK)), null)) {
                table.put(CaseRow.of(c));
                ids.add(c.id());
            }
        }
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
