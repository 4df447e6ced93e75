package org.mcsfhir.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;

/** Values acknowledged, errors and per-request latencies of one timed load phase. Thread-safe. */
final class LoadPhase {

    final Latencies latencies = new Latencies();
    final AtomicInteger errors = new AtomicInteger();
    long values;
    double seconds;

    synchronized void record(long nanos, long acknowledged) {
        latencies.add(nanos);
        values += acknowledged;
    }

    int requests() {
        return latencies.count();
    }

    double valuesPerSecond() {
        return values / seconds;
    }

    /** The p-th percentile of the request latencies in milliseconds (NaN before the first request). */
    double percentile(int p) {
        return latencies.percentile(p);
    }
}
