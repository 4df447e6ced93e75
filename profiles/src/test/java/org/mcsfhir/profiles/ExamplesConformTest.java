package org.mcsfhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The must-pass table: every example of the guide validates against its declared profile with no error. */
class ExamplesConformTest {

    static Stream<Path> examples() throws IOException {
        return Files.list(Path.of("src/main/examples"))
                .filter(f -> f.toString().endsWith(".json"))
                .sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleHasNoValidationErrors(Path example) throws IOException {
        String json = Files.readString(example);
        assertThat(json).as("examples declare their profile").contains("\"profile\"");

        List<SingleValidationMessage> errors = GuideValidator.validate(json).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .toList();

        assertThat(errors)
                .as(example.getFileName() + " errors")
                .extracting(m -> m.getLocationString() + ": " + m.getMessage())
                .isEmpty();
    }
}
