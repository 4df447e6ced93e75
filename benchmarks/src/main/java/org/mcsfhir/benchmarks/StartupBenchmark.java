package org.mcsfhir.benchmarks;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Start-up of the packaged server on the embedded default (H2 file), as the README's run command starts it: time from
 * launching the JVM to the first 200 on {@code /fhir/metadata}, and resident memory right after and 10 s later.
 * The first start creates the schema and installs the guide; later starts find both in place.
 */
public final class StartupBenchmark {

    public static void main(String[] args) throws Exception {
        Path work = Path.of(System.getProperty("bench.work-dir", "target/benchmark")).resolve("startup");
        int starts = Integer.getInteger("bench.starts", 3);
        deleteRecursively(work);
        System.out.printf(Locale.ROOT, "%nmcs-fhir start-up on the embedded default (H2 file), server %s%n",
                System.getProperty("mcs.jvm.args"));
        for (int i = 1; i <= starts; i++) {
            try (BenchmarkServer server = BenchmarkServer.startEmbeddedDefault(work)) {
                long rssAtStart = server.rssMiB();
                Thread.sleep(10_000);
                System.out.printf(Locale.ROOT, "start %d (%s): first 200 on /fhir/metadata after %.1f s; RSS %d MiB, "
                                + "%d MiB 10 s later%n", i, i == 1 ? "empty database" : "existing database",
                        server.startupTime().toMillis() / 1000.0, rssAtStart, server.rssMiB());
            }
        }
        System.out.println("targets: <= 20 s, <= 600 MB");
        System.exit(0);
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (java.nio.file.Files.exists(dir)) {
            try (var paths = java.nio.file.Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(path);
                }
            }
        }
    }
}
