package org.mcsfhir.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Values acknowledged, errors and per-request latencies of one timed load phase. Thread-safe. */
final class LoadPhase {

    final Latencies latencies = new Latencies();
    final AtomicInteger errors = new AtomicInteger();
    long values;
    double seconds;

    /** One client's requests: each call sends one and records it in the phase; false stops this client early. */
    interface Client {
        boolean request(LoadPhase phase) throws Exception;
    }

    /**
     * Runs {@code clients} threads for {@code seconds}, each making the requests of the client {@code client} gives
     * for its index until the deadline; the phase's seconds are the wall time until the last one returned.
     */
    static LoadPhase run(int clients, int seconds, IntFunction<Client> client) throws Exception {
        LoadPhase result = new LoadPhase();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Client requests = client.apply(c);
            running.add(pool.submit(() -> {
                while (System.nanoTime() < deadline && requests.request(result)) {
                    // each request records itself
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        result.seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return result;
    }

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
