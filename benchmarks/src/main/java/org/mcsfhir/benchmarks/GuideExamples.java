package org.mcsfhir.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The guide's example resources (not its example Bundles) as benchmark data, and how to store them in one go. */
final class GuideExamples {

    static final ObjectMapper JSON = new ObjectMapper();

    private GuideExamples() {}

    static List<ObjectNode> read(Path examplesDir) throws Exception {
        List<ObjectNode> examples = new ArrayList<>();
        try (Stream<Path> files = Files.list(examplesDir)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                ObjectNode example = (ObjectNode) JSON.readTree(file.toFile());
                if (!type(example).equals("Bundle")) {
                    examples.add(example);
                }
            }
        }
        return examples;
    }

    static String type(JsonNode resource) {
        return resource.path("resourceType").asText();
    }

    /** A transaction Bundle that PUTs every resource at its own id. */
    static String transaction(List<ObjectNode> resources) throws Exception {
        ObjectNode bundle =
                JSON.createObjectNode().put("resourceType", "Bundle").put("type", "transaction");
        ArrayNode entries = bundle.putArray("entry");
        for (ObjectNode resource : resources) {
            String url = type(resource) + "/" + resource.path("id").asText();
            ObjectNode entry = entries.addObject();
            entry.put("fullUrl", url);
            entry.set("resource", resource);
            entry.putObject("request").put("method", "PUT").put("url", url);
        }
        return JSON.writeValueAsString(bundle);
    }
}
