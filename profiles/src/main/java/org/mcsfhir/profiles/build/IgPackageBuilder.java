package org.mcsfhir.profiles.build;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.ImplementationGuide;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * The build step that turns the guide's JSON sources into a FHIR NPM package that any FHIR server or validator can
 * load: {@code package/package.json}, one file per resource with generated snapshots, {@code package/.index.json},
 * examples under {@code package/example/}, and the {@code .tgz}. The ImplementationGuide resource is the single
 * identity file (package id, version, FHIR version); the packaged copy lists every resource of the guide.
 *
 * <p>Arguments: conformance dir, terminology dir, examples dir, output dir, classpath copy dir.
 */
public final class IgPackageBuilder {

    private static final String CORE_PACKAGE = "hl7.fhir.r4.core";
    private static final String FHIR_VERSION = "4.0.1";

    private final FhirContext fhir = FhirContext.forR4();
    private final IParser parser = fhir.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException(
                    "usage: conformanceDir terminologyDir examplesDir outputDir classpathDir");
        }
        new IgPackageBuilder()
                .build(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), Path.of(args[4]));
    }

    void build(Path conformanceDir, Path terminologyDir, Path examplesDir, Path outputDir, Path classpathDir)
            throws IOException {
        List<Resource> conformance = new ArrayList<>(read(conformanceDir));
        conformance.addAll(read(terminologyDir));
        List<Resource> examples = read(examplesDir);

        ImplementationGuide guide = conformance.stream()
                .filter(ImplementationGuide.class::isInstance)
                .map(ImplementationGuide.class::cast)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no ImplementationGuide resource in " + conformanceDir));
        generateSnapshots(conformance);
        listResources(guide, conformance, examples);

        Path packageDir = outputDir.resolve("package");
        deleteRecursively(outputDir);
        Files.createDirectories(packageDir.resolve("example"));
        List<Map<String, Object>> index = new ArrayList<>();
        for (Resource resource : conformance) {
            String file = fileName(resource);
            write(packageDir.resolve(file), parser.encodeResourceToString(resource));
            index.add(indexEntry(file, resource));
        }
        for (Resource example : examples) {
            write(packageDir.resolve("example").resolve(fileName(example)), parser.encodeResourceToString(example));
        }
        write(packageDir.resolve("package.json"), json.writeValueAsString(manifest(guide)));
        write(packageDir.resolve(".index.json"), json.writeValueAsString(Map.of("index-version", 1, "files", index)));

        Path tgz = outputDir.resolve(guide.getPackageId() + "-" + guide.getVersion() + ".tgz");
        tar(packageDir, tgz);
        Files.createDirectories(classpathDir);
        Files.copy(tgz, classpathDir.resolve("package.tgz"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.printf(
                "[ig] %s#%s: %d conformance resources, %d examples -> %s%n",
                guide.getPackageId(), guide.getVersion(), conformance.size(), examples.size(), tgz);
    }

    private List<Resource> read(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Resource> resources = new ArrayList<>();
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                try {
                    resources.add((Resource) parser.parseResource(Files.readString(file)));
                } catch (RuntimeException e) {
                    throw new IllegalStateException(file + ": " + e.getMessage(), e);
                }
            }
            return resources;
        }
    }

    /** Differentials are what authors write; validators need snapshots, so the package carries both. */
    private void generateSnapshots(List<Resource> conformance) {
        PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(fhir);
        conformance.forEach(ours::addResource);
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhir),
                ours,
                new CommonCodeSystemsTerminologyService(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir),
                new SnapshotGeneratingValidationSupport(fhir));
        for (int i = 0; i < conformance.size(); i++) {
            if (conformance.get(i) instanceof StructureDefinition sd) {
                StructureDefinition withSnapshot = (StructureDefinition) chain.generateSnapshot(
                        new ValidationSupportContext(chain),
                        sd,
                        sd.getUrl(),
                        "https://mcs-fhir.org/fhir",
                        sd.getName());
                if (withSnapshot == null
                        || withSnapshot.getSnapshot().getElement().isEmpty()) {
                    throw new IllegalStateException("no snapshot could be generated for " + sd.getUrl());
                }
                conformance.set(i, withSnapshot);
            }
        }
    }

    private static void listResources(ImplementationGuide guide, List<Resource> conformance, List<Resource> examples) {
        guide.getDefinition().getResource().clear();
        for (Resource resource : conformance) {
            guide.getDefinition()
                    .addResource()
                    .setReference(new Reference(resource.fhirType() + "/" + resource.getIdPart()))
                    .setName(
                            resource instanceof MetadataResource m && m.hasTitle()
                                    ? m.getTitle()
                                    : resource.getIdPart())
                    .setExample(new org.hl7.fhir.r4.model.BooleanType(false));
        }
        for (Resource example : examples) {
            var entry = guide.getDefinition()
                    .addResource()
                    .setReference(new Reference(example.fhirType() + "/" + example.getIdPart()))
                    .setName(example.getIdPart());
            List<CanonicalType> profiles = example.getMeta().getProfile();
            entry.setExample(
                    profiles.isEmpty()
                            ? new org.hl7.fhir.r4.model.BooleanType(true)
                            : new CanonicalType(profiles.get(0).getValue()));
        }
    }

    private Map<String, Object> manifest(ImplementationGuide guide) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("name", guide.getPackageId());
        manifest.put("version", guide.getVersion());
        manifest.put("canonical", guide.getUrl().replace("/ImplementationGuide/" + guide.getIdPart(), ""));
        manifest.put("url", guide.getUrl());
        manifest.put("title", guide.getTitle());
        manifest.put("description", guide.getDescription());
        manifest.put("fhirVersions", List.of(FHIR_VERSION));
        manifest.put("dependencies", Map.of(CORE_PACKAGE, FHIR_VERSION));
        manifest.put("type", "fhir.ig");
        manifest.put(
                "license",
                guide.getLicense() == null ? "CC0-1.0" : guide.getLicense().toCode());
        manifest.put("author", guide.getPublisher());
        return manifest;
    }

    private static Map<String, Object> indexEntry(String file, Resource resource) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("filename", file);
        entry.put("resourceType", resource.fhirType());
        entry.put("id", resource.getIdPart());
        if (resource instanceof MetadataResource metadata) {
            entry.put("url", metadata.getUrl());
            entry.put("version", metadata.getVersion());
        }
        if (resource instanceof StructureDefinition sd) {
            entry.put("kind", sd.getKind().toCode());
            entry.put("type", sd.getType());
            entry.put("derivation", sd.hasDerivation() ? sd.getDerivation().toCode() : null);
        }
        return entry;
    }

    private static String fileName(Resource resource) {
        return resource.fhirType() + "-" + resource.getIdPart() + ".json";
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** An npm-style tarball: every entry under {@code package/}, deterministic order. */
    private static void tar(Path packageDir, Path tgz) throws IOException {
        try (OutputStream out = Files.newOutputStream(tgz);
                GZIPOutputStream gzip = new GZIPOutputStream(out);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            try (Stream<Path> files = Files.walk(packageDir)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    String name =
                            "package/" + packageDir.relativize(file).toString().replace('\\', '/');
                    TarArchiveEntry entry = new TarArchiveEntry(file.toFile(), name);
                    tar.putArchiveEntry(entry);
                    Files.copy(file, tar);
                    tar.closeArchiveEntry();
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
