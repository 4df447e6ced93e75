package org.mcsfhir.server.limits;

import java.util.concurrent.Semaphore;

/**
 * At most a few large bodies are parsed and stored at once. Within every limit a 10 MB body still costs the heap a
 * few hundred MB while HAPI holds it as objects (a collection Bundle of a million values: ~12 s and repeated full
 * collections on the default 768 MB heap, of which the server's own live set takes ~360 MB); two at once took 61 s
 * each, three ran the heap out. A large body that finds no
 * free permit is refused at once with 429 and Retry-After rather than waiting, since a waiting request would hold its
 * bytes in memory.
 */
final class LargeBodyGate {

    private final long largeBytes;
    private final int maxConcurrent;
    private final Semaphore permits;

    LargeBodyGate(long largeBytes, int maxConcurrent) {
        this.largeBytes = largeBytes;
        this.maxConcurrent = maxConcurrent;
        this.permits = new Semaphore(maxConcurrent);
    }

    /** A permit to release when the request is done, or null when the body is small (nothing to release). */
    Permit enter(int bodyBytes) throws BodyRefusedException {
        if (bodyBytes <= largeBytes) {
            return null;
        }
        if (!permits.tryAcquire()) {
            throw Refusals.tooManyLargeBodies(largeBytes, maxConcurrent);
        }
        return permits::release;
    }

    interface Permit extends AutoCloseable {
        @Override
        void close();
    }
}
