package org.mcsfhir.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The implementation guide's examples and must-fail fixtures, read from the source tree ({@code profiles/}, or {@code
 * -Dmcs.profiles.dir}) as test data. Shared because fhir-server's context tests and the packaged-jar ITs check the
 * same fixtures and load the same examples; fhir-server's {@code GuideExamples} reads the built package instead.
 */
public final class GuideSources {

    private static final Path PROFILES = Path.of(System.getProperty("mcs.profiles.dir", "../profiles"));

    public record Fixture(String profile, Path file, String severity, String location, String message) {
        @Override
        public String toString() {
            return profile + "/" + file.getFileName();
        }
    }

    private GuideSources() {}

    public static List<Path> examples() {
        try (Stream<Path> files = Files.list(PROFILES.resolve("src/main/examples"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example in the file named {@code fileName}, e.g. {@code Patient-mcs-example-patient-1.json}. */
    public static Path example(String fileName) {
        return examples().stream()
                .filter(p -> p.getFileName().toString().equals(fileName))
                .findFirst()
                .orElseThrow();
    }

    public static List<Fixture> mustFailFixtures() {
        List<Fixture> fixtures = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(PROFILES.resolve("src/test/resources/must-fail"))) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                List<String> lines = Files.readAllLines(dir.resolve("expected.csv"));
                for (String line : lines.subList(1, lines.size())) {
                    if (!line.isBlank()) {
                        String[] cells = line.split(",", 4);
                        fixtures.add(new Fixture(
                                dir.getFileName().toString(),
                                dir.resolve(cells[0].trim()),
                                cells[1].trim(),
                                cells[2].trim(),
                                cells[3].trim()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fixtures;
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every example except the registry-case Bundles, as one transaction of PUTs (the examples refer to each other).
     */
    public static String examplesAsTransaction() {
        StringBuilder entries = new StringBuilder();
        for (Path example : examples()) {
            String json = read(example);
            String type = between(json, "\"resourceType\"");
            if (!type.equals("Bundle")) {
                TransactionBundle.putEntry(entries, type, between(json, "\"id\""), json);
            }
        }
        return TransactionBundle.of(entries);
    }

    /** The string value of the first occurrence of a top-level-looking key; enough for the guide's own files. */
    private static String between(String json, String key) {
        int start = json.indexOf(':', json.indexOf(key)) + 1;
        int open = json.indexOf('"', start);
        return json.substring(open + 1, json.indexOf('"', open + 1));
    }
}
