package org.mcsfhir.server.validation;

import ca.uhn.fhir.validation.FhirValidator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.mcsfhir.server.guide.GuideInstaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * The validator's first use loads and converts the R4 core definitions and the guide's snapshots: over ten seconds
 * on two cores, which would otherwise fall on the first hospital write after every start (long enough for an
 * interface engine to time out and retry). Once the server is up, this validates each example of the guide's
 * package once on a background thread, so the first real write finds everything loaded. Start-up itself is not
 * delayed: {@code /fhir/metadata} answers meanwhile; a write arriving during the warm-up may pay part of the loading
 * itself, as it would have without it.
 */
class ValidatorWarmUp implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(ValidatorWarmUp.class);

    private final FhirValidator validator;
    private final boolean enabled;

    /** @param enabled false when validation is off: nothing would ever use the loaded definitions */
    ValidatorWarmUp(FhirValidator validator, boolean enabled) {
        this.validator = validator;
        this.enabled = enabled;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (!enabled) {
            return;
        }
        Thread thread = new Thread(this::warmUp, "validator-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    void warmUp() {
        long started = System.nanoTime();
        List<String> examples = guideExamples();
        for (String example : examples) {
            try {
                validator.validateWithResult(example);
            } catch (RuntimeException e) {
                // a warm-up failure costs only speed: the write that needs the validator reports any real problem
                log.warn("Validator warm-up: an example of the guide could not be validated: {}", e.getMessage());
            }
        }
        log.info(
                "Validator warmed up on {} guide examples in {} ms",
                examples.size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    static List<String> guideExamples() {
        try {
            NpmPackage npm = GuideInstaller.guidePackage();
            List<String> examples = new ArrayList<>();
            for (String name : npm.list("example")) {
                try (InputStream example = npm.load("example", name)) {
                    examples.add(new String(example.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return examples;
        } catch (IOException | RuntimeException e) {
            log.warn("Validator warm-up skipped: the guide package could not be read: {}", e.getMessage());
            return List.of();
        }
    }
}
