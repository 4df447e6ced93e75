package org.mcsfhir.server.storage;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.batch2.model.WorkChunk;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IBaseInterceptorBroadcaster.IInterceptorFilterHook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.util.Batch2JobDefinitionConstants;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HAPI's Bulk Data export job is gated: a step starts only when a job-maintenance pass sees the previous step's work
 * chunks all done, and fast-tracking (which triggers that pass itself) is dropped as soon as a step fans out into
 * several chunks, which every export beyond a few hundred resources does. The export then waits for the scheduled
 * pass (every {@code mcs.fhir.batch-job-interval}) up to three times, and its first step waits for one as well. This
 * asks for a pass shortly after an export is kicked off and after each of its chunks is done, so each step starts at
 * once; the scheduled pass stays as the backstop.
 *
 * <p>Chunks finishing together share one pass (a pass looks at every job), so a step of many chunks costs a few
 * passes, not one per chunk. Only export jobs: a reindex of thousands of chunks gains nothing from it.
 */
@Interceptor
public class BulkExportPacer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BulkExportPacer.class);
    private static final long COALESCE_MILLIS = 200;

    private final IJobMaintenanceService maintenance;
    private final AtomicBoolean passPending = new AtomicBoolean();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bulk-export-pacer");
        thread.setDaemon(true);
        return thread;
    });

    public BulkExportPacer(IJobMaintenanceService maintenance) {
        this.maintenance = maintenance;
    }

    /** The job is stored right after this hook returns; the pass comes {@value #COALESCE_MILLIS} ms later. */
    @Hook(Pointcut.STORAGE_INITIATE_BULK_EXPORT)
    public void kickedOff() {
        requestPass();
    }

    @Hook(Pointcut.BATCH2_CHUNK_PROCESS_FILTER)
    public IInterceptorFilterHook advanceWhenDone(JobInstance job, WorkChunk chunk) {
        return work -> {
            work.run();
            if (Batch2JobDefinitionConstants.BULK_EXPORT.equals(job.getJobDefinitionId())) {
                requestPass();
            }
        };
    }

    void requestPass() {
        if (passPending.compareAndSet(false, true)) {
            scheduler.schedule(this::runPass, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void runPass() {
        passPending.set(false);
        try {
            maintenance.triggerMaintenancePass();
        } catch (RuntimeException e) {
            // the scheduled pass will advance the job instead; only speed is lost
            log.warn("Could not trigger a batch2 maintenance pass for a bulk export: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
