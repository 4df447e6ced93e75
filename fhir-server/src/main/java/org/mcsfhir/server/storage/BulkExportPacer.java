package org.mcsfhir.server.storage;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.batch2.model.WorkChunk;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IBaseInterceptorBroadcaster.IInterceptorFilterHook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.util.Batch2JobDefinitionConstants;

/**
 * HAPI's Bulk Data export job is gated: a step starts only when a job-maintenance pass sees the previous step's work
 * chunks all done, and fast-tracking (which triggers that pass itself) is dropped as soon as a step fans out into
 * several chunks, which every export beyond a few hundred resources does. The export then waits for the scheduled
 * pass (every {@code mcs.fhir.batch-job-interval}) up to three times. This asks for a pass as soon as each of an
 * export's chunks is done, so its next step starts at once; the scheduled pass stays as the backstop. Only export
 * jobs: a reindex of thousands of chunks would trigger as many passes.
 */
@Interceptor
public class BulkExportPacer {

    private final IJobMaintenanceService maintenance;

    public BulkExportPacer(IJobMaintenanceService maintenance) {
        this.maintenance = maintenance;
    }

    @Hook(Pointcut.BATCH2_CHUNK_PROCESS_FILTER)
    public IInterceptorFilterHook advanceWhenDone(JobInstance job, WorkChunk chunk) {
        return work -> {
            work.run();
            if (Batch2JobDefinitionConstants.BULK_EXPORT.equals(job.getJobDefinitionId())) {
                maintenance.triggerMaintenancePass();
            }
        };
    }
}
