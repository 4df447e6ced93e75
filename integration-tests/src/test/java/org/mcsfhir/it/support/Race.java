package org.mcsfhir.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Requests released together from one thread each, for tests of what concurrent writers may and may not do (duplicate
 * conditional creates, two nodes claiming the same work): a barrier holds every thread until all are ready.
 */
public final class Race {

    private Race() {}

    /** Runs every call at once and returns their answers in the order of {@code calls}. */
    public static <T> List<T> all(List<Callable<T>> calls) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(calls.size());
        try {
            CyclicBarrier together = new CyclicBarrier(calls.size());
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(threads.submit(() -> {
                    together.await();
                    return call.call();
                }));
            }
            List<T> answers = new ArrayList<>();
            for (Future<T> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            threads.shutdownNow();
        }
    }
}
