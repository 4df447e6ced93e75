package org.mcsfhir.server.telemetry;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounded admission for ingest requests: at most {@code concurrent} are processed and at most {@code waiting} wait
 * (each for at most {@code maxWaitMs}); anything beyond is refused at once so the gateway backs off (429) instead of
 * the server queueing without limit.
 */
final class IngestAdmission {

    private final Semaphore running;
    private final AtomicInteger admitted = new AtomicInteger();
    private final int capacity;
    private final long maxWaitMs;

    IngestAdmission(int concurrent, int waiting, long maxWaitMs) {
        this.running = new Semaphore(concurrent, true);
        this.capacity = concurrent + waiting;
        this.maxWaitMs = maxWaitMs;
    }

    /** @return a turn to close when done, or null if the server is overloaded */
    Turn tryEnter() throws InterruptedException {
        if (admitted.incrementAndGet() > capacity) {
            admitted.decrementAndGet();
            return null;
        }
        boolean acquired = false;
        try {
            acquired = running.tryAcquire(maxWaitMs, TimeUnit.MILLISECONDS);
        } finally {
            if (!acquired) {
                admitted.decrementAndGet();
            }
        }
        return acquired ? this::leave : null;
    }

    private void leave() {
        running.release();
        admitted.decrementAndGet();
    }

    int inFlight() {
        return admitted.get();
    }

    /** Held while a request is processed. */
    @FunctionalInterface
    interface Turn extends AutoCloseable {
        @Override
        void close();
    }
}
