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

/** Every OperationDefinition of the guide is a valid R4 OperationDefinition (the server's operations' contracts). */
class OperationDefinitionsConformTest {

    static Stream<Path> operations() throws IOException {
        return Files.list(Path.of("src/main/fhir"))
                .filter(f -> f.getFileName().toString().startsWith("OperationDefinition-"))
                .sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void operationDefinitionHasNoValidationErrors(Path operation) throws IOException {
        List<SingleValidationMessage> errors =
                GuideValidator.validate(Files.readString(operation)).getMessages().stream()
                        .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                        .toList();

        assertThat(errors)
                .as(operation.getFileName() + " errors")
                .extracting(m -> m.getLocationString() + ": " + m.getMessage())
                .isEmpty();
    }
}
