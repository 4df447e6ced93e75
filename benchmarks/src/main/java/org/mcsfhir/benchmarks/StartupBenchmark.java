package org.mcsfhir.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Start-up of the packaged server on the embedded default (H2 file), as the README's run command starts it: time from
 * launching the JVM to the first 200 on {@code /fhir/metadata}, and resident memory right after and 10 s later.
 * The first start creates the schema and installs the guide; later starts find both in place. Variants
 * ({@code bench.startup-variants}: {@code name=jar|JVM options;...}, e.g. the previous build's jar as a baseline, or
 * the same jar with a CDS archive) are started in turn, each on its own database, so they share the machine's state.
 */
public final class StartupBenchmark {

    private record Variant(String name, String jar, List<String> jvmArgs) {

        static List<Variant> parse(String spec, String defaultJar) {
            List<Variant> variants = new ArrayList<>();
            if (spec.isBlank()) {
                variants.add(new Variant("built jar", defaultJar, List.of()));
            }
            for (String item : spec.split(";")) {
                if (item.isBlank()) {
                    continue;
                }
                String[] nameAndRest = item.split("=", 2);
                String[] jarAndOptions = nameAndRest[1].split("\\|", 2);
                List<String> options = jarAndOptions.length < 2 || jarAndOptions[1].isBlank()
                        ? List.of()
                        : Arrays.asList(jarAndOptions[1].trim().split("\\s+"));
                String jar = jarAndOptions[0].isBlank() ? defaultJar : jarAndOptions[0].trim();
                variants.add(new Variant(nameAndRest[0].trim(), jar, options));
            }
            return variants;
        }
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(System.getProperty("bench.work-dir", "target/benchmark"))
                .resolve("startup");
        int starts = Integer.getInteger("bench.starts", 3);
        List<Variant> variants =
                Variant.parse(System.getProperty("bench.startup-variants", ""), System.getProperty("mcs.server.jar"));
        deleteRecursively(work);
        System.out.printf(
                Locale.ROOT,
                "%nmcs-fhir start-up on the embedded default (H2 file), server %s%n",
                System.getProperty("mcs.jvm.args"));
        for (int i = 1; i <= starts; i++) {
            for (int v = 0; v < variants.size(); v++) {
                Variant variant = variants.get(v);
                try (BenchmarkServer server = BenchmarkServer.startEmbeddedDefault(
                        work.resolve("variant-" + v), variant.jar(), variant.jvmArgs())) {
                    long rssAtStart = server.rssMiB();
                    Thread.sleep(10_000);
                    System.out.printf(
                            Locale.ROOT,
                            "%s, start %d (%s): first 200 on /fhir/metadata after %.1f s (%.1f CPU s); "
                                    + "RSS %d MiB, %d MiB 10 s later; load average %s%n",
                            variant.name(),
                            i,
                            i == 1 ? "empty database" : "existing database",
                            server.startupTime().toMillis() / 1000.0,
                            server.startupCpuSeconds(),
                            rssAtStart,
                            server.rssMiB(),
                            loadAverage());
                }
            }
        }
        System.out.println("targets: <= 20 s, <= 600 MB");
        System.exit(0);
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
