package org.mcsfhir.server.worklist;

import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one background thread that does all worklist work on this node: the scheduled full pass, the re-evaluations
 * that writes announce, and on-demand refreshes. One thread means no two reconciliations of this node race each
 * other; requests never wait for it (except {@code $worklist-refresh}, which asks to). Announcements are coalesced:
 * an insertion already waiting is not queued twice.
 */
class WorklistRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorklistRunner.class);

    private final WorklistReconciler reconciler;
    private final ScheduledExecutorService worker;
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();

    WorklistRunner(WorklistReconciler reconciler) {
        this.reconciler = reconciler;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "mcs-worklist");
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.worker = executor;
    }

    void schedulePasses(long initialDelayMs, long intervalMs) {
        worker.scheduleWithFixedDelay(
                () -> {
                    try {
                        WorklistReconciler.Changes changes = reconciler.reconcileAll();
                        log.debug("worklist pass: {}", changes);
                    } catch (RuntimeException e) {
                        log.warn("MCS-0863: worklist pass failed: {}", e.getMessage());
                    }
                },
                initialDelayMs,
                intervalMs,
                TimeUnit.MILLISECONDS);
    }

    /** Re-evaluate one insertion ({@code Procedure/id}) or a patient's insertions ({@code Patient/id}) soon. */
    void announce(String reference) {
        if (!waiting.add(reference)) {
            return;
        }
        worker.execute(() -> {
            waiting.remove(reference);
            String id = reference.substring(reference.indexOf('/') + 1);
            if (reference.startsWith("Patient/")) {
                reconciler.reconcilePatient(id);
            } else {
                reconciler.reconcileSafely(id);
            }
        });
    }

    /** Runs after everything announced so far, on the worker thread. */
    <T> Future<T> submit(Callable<T> work) {
        return worker.submit(work);
    }

    @Override
    public void close() throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }
}
