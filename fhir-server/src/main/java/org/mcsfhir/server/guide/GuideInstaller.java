package org.mcsfhir.server.guide;

import ca.uhn.fhir.batch2.config.Batch2JobRegisterer;
import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.packages.PackageInstallOutcomeJson;
import ca.uhn.fhir.jpa.packages.PackageInstallationSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Installs the guide's FHIR NPM package (from the classpath) into the server's own storage before the server takes
 * requests, so its SearchParameters are searchable, its CodeSystems/ValueSets/ConceptMaps answer the terminology
 * operations, and its StructureDefinitions and OperationDefinitions can be read by clients. HAPI's package installer
 * updates resources that changed and leaves identical ones alone; a start that finds the very same package content
 * already installed ({@link InstalledGuide}) does not run it at all. The ImplementationGuide
 * resource itself is not stored: its references are package-relative and would fail the server's referential
 * integrity check; it stays readable in the package.
 */
public class GuideInstaller implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(GuideInstaller.class);
    /** The guide's FHIR NPM package, put on the classpath by the profiles module. */
    public static final String PACKAGE_RESOURCE = "/mcs-fhir-ig/package.tgz";

    static final List<String> INSTALLED_TYPES = List.of(
            "CodeSystem", "ValueSet", "ConceptMap", "StructureDefinition", "SearchParameter", "OperationDefinition");

    private final IPackageInstallerSvc installer;
    private final Batch2JobRegisterer jobRegisterer;
    private final Runnable expandValueSets;
    private final InstalledGuide installed;

    GuideInstaller(
            IPackageInstallerSvc installer,
            Batch2JobRegisterer jobRegisterer,
            Runnable expandValueSets,
            InstalledGuide installed) {
        this.installer = installer;
        this.jobRegisterer = jobRegisterer;
        this.expandValueSets = expandValueSets;
        this.installed = installed;
    }

    @Override
    public void afterSingletonsInstantiated() {
        // installing SearchParameters schedules a reindex job, whose definition must be known first
        jobRegisterer.start();
        byte[] contents = readPackage();
        NpmPackage npm = parse(contents);
        String packageId = npm.name() + "#" + npm.version();
        String sha256 = sha256(contents);
        if (installed.holds(packageId, sha256)) {
            log.info(
                    "Guide package {} unchanged since it was installed (sha256 {}): not reinstalled",
                    packageId,
                    sha256);
            return;
        }
        PackageInstallationSpec spec = new PackageInstallationSpec()
                .setName(npm.name())
                .setVersion(npm.version())
                .setPackageContents(contents)
                .setInstallMode(PackageInstallationSpec.InstallModeEnum.STORE_AND_INSTALL)
                .setFetchDependencies(false);
        spec.setInstallResourceTypes(INSTALLED_TYPES);
        long started = System.nanoTime();
        PackageInstallOutcomeJson outcome = installer.install(spec);
        // Store the CodeSystems' concepts and expand the guide's ValueSets now rather than at HAPI's next scheduled
        // passes (the first was seen 10 minutes after start): until then $expand answers from an in-memory expansion,
        // and an IT saw its filter ignored there.
        expandValueSets.run();
        installed.record(packageId, sha256);
        log.info(
                "Installed guide package {} in {} ms: {}",
                packageId,
                (System.nanoTime() - started) / 1_000_000,
                outcome.getResourcesInstalled());
    }

    private static String sha256(byte[] contents) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(contents));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The guide's package as the server loads it, for features that read its content (examples, rules). */
    public static NpmPackage guidePackage() {
        return parse(readPackage());
    }

    private static byte[] readPackage() {
        try (InputStream in = GuideInstaller.class.getResourceAsStream(PACKAGE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(PACKAGE_RESOURCE + " is not on the classpath (mcs-fhir-profiles jar)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static NpmPackage parse(byte[] contents) {
        try {
            return NpmPackage.fromPackage(new ByteArrayInputStream(contents));
        } catch (IOException e) {
            throw new UncheckedIOException("the guide package is not a valid FHIR NPM package", e);
        }
    }
}
