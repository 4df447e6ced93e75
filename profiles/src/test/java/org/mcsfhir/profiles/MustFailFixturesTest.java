package org.mcsfhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The must-fail table: each fixture under {@code must-fail/<profile>/} breaks one rule of that profile, and
 * {@code expected.csv} beside it says which error (severity, FHIRPath location, message) the validator must give.
 */
class MustFailFixturesTest {

    private static final Path ROOT = Path.of("src/test/resources/must-fail");

    record Expectation(Path fixture, String severity, String location, String message) {
        @Override
        public String toString() {
            return fixture.getParent().getFileName() + "/" + fixture.getFileName();
        }
    }

    static Stream<Expectation> expectations() throws IOException {
        List<Expectation> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(ROOT)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                List<String> lines = Files.readAllLines(dir.resolve("expected.csv"));
                for (String line : lines.subList(1, lines.size())) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] cells = line.split(",", 4);
                    all.add(new Expectation(
                            dir.resolve(cells[0].trim()), cells[1].trim(), cells[2].trim(), cells[3].trim()));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void fixtureIsRejectedWithTheExpectedError(Expectation expected) throws IOException {
        List<SingleValidationMessage> messages =
                GuideValidator.validate(Files.readString(expected.fixture())).getMessages();

        assertThat(messages)
                .as(
                        "%s must give %s at %s containing '%s'; got:%n%s",
                        expected, expected.severity(), expected.location(), expected.message(), describe(messages))
                .anySatisfy(m -> {
                    assertThat(m.getSeverity().getCode()).isEqualTo(expected.severity());
                    assertThat(m.getLocationString()).isEqualTo(expected.location());
                    assertThat(m.getMessage()).contains(expected.message());
                });
    }

    @Test
    void everyProfileHasAtLeastThreeFixtures() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/fhir"))) {
            List<String> profiles = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("StructureDefinition-"))
                    .map(n -> n.substring("StructureDefinition-".length(), n.length() - ".json".length()))
                    .filter(id -> !isExtension(id))
                    .toList();
            assertThat(profiles).isNotEmpty();
            for (String profile : profiles) {
                Path dir = ROOT.resolve(profile);
                assertThat(dir).as("fixtures for " + profile).isDirectory();
                assertThat(Files.readAllLines(dir.resolve("expected.csv")).size() - 1)
                        .as("fixtures for " + profile)
                        .isGreaterThanOrEqualTo(3);
            }
        }
    }

    private static boolean isExtension(String id) {
        try {
            return Files.readString(Path.of("src/main/fhir/StructureDefinition-" + id + ".json"))
                    .contains("\"type\": \"Extension\"");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String describe(List<SingleValidationMessage> messages) {
        StringBuilder out = new StringBuilder();
        messages.forEach(m -> out.append("  ")
                .append(m.getSeverity().getCode())
                .append(" @ ")
                .append(m.getLocationString())
                .append(": ")
                .append(m.getMessage())
                .append('\n'));
        return out.toString();
    }
}
