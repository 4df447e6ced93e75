package org.mcsfhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example registry-case Bundles are assembled from the single-resource examples; this keeps them identical, so
 * a change to an example cannot leave a stale copy inside a Bundle.
 */
class RegistryCaseExamplesTest {

    private static final Path EXAMPLES = Path.of("src/main/examples");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> registryCaseBundles() throws IOException {
        return Files.list(EXAMPLES)
                .filter(f -> f.getFileName().toString().startsWith("Bundle-"))
                .sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registryCaseBundles")
    void everyEntryEqualsItsSingleResourceExample(Path bundle) throws IOException {
        List<JsonNode> entries = JSON.readTree(bundle.toFile()).path("entry").findValues("resource");
        assertThat(entries).isNotEmpty();
        for (JsonNode resource : entries) {
            Path single = EXAMPLES.resolve(resource.path("resourceType").asText() + "-"
                    + resource.path("id").asText() + ".json");
            assertThat(single)
                    .as("example file for an entry of " + bundle.getFileName())
                    .exists();
            assertThat(resource)
                    .as(single.getFileName() + " inside " + bundle.getFileName())
                    .isEqualTo(JSON.readTree(single.toFile()));
        }
    }
}
