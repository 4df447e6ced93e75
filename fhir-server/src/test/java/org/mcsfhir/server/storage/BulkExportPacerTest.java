package org.mcsfhir.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.batch2.model.WorkChunk;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BulkExportPacerTest {

    private final AtomicInteger passes = new AtomicInteger();
    private final IJobMaintenanceService maintenance = new IJobMaintenanceService() {
        @Override
        public boolean triggerMaintenancePass() {
            passes.incrementAndGet();
            return true;
        }

        @Override
        public void runMaintenancePass() {}

        @Override
        public void forceMaintenancePass() {}

        @Override
        public void enableMaintenancePass(boolean enabled) {}
    };

    private static JobInstance job(String definition) {
        JobInstance job = new JobInstance();
        job.setJobDefinitionId(definition);
        return job;
    }

    @Test
    void chunksOfAnExportFinishingTogether_shareOnePass() throws InterruptedException {
        try (BulkExportPacer pacer = new BulkExportPacer(maintenance)) {
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 10; i++) {
                pacer.advanceWhenDone(job("BULK_EXPORT"), new WorkChunk()).wrapCall(ran::incrementAndGet);
            }
            Thread.sleep(1000);

            assertThat(ran).hasValue(10);
            assertThat(passes).hasValue(1);
        }
    }

    @Test
    void aKickOff_asksForAPass() throws InterruptedException {
        try (BulkExportPacer pacer = new BulkExportPacer(maintenance)) {
            pacer.kickedOff();
            Thread.sleep(1000);

            assertThat(passes).hasValue(1);
        }
    }

    @Test
    void chunksOfOtherJobs_askForNoPass() throws InterruptedException {
        try (BulkExportPacer pacer = new BulkExportPacer(maintenance)) {
            pacer.advanceWhenDone(job("REINDEX"), new WorkChunk()).wrapCall(() -> {});
            Thread.sleep(500);

            assertThat(passes).hasValue(0);
        }
    }
}
