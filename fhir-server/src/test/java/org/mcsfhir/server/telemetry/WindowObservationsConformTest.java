package org.mcsfhir.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The window Observations the materializer writes skip the server's profile validation (they are built, not
 * received); in exchange this proves that what it builds conforms to mcs-pump-telemetry in the guide package, for
 * every channel, with gaps, and with and without an insertion Procedure.
 */
class WindowObservationsConformTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final long WINDOW_START = 1773154800000L; // 2026-03-10T15:00:00Z
    private static FhirValidator validator;

    @BeforeAll
    static void loadGuide() throws IOException {
        NpmPackageValidationSupport guide = new NpmPackageValidationSupport(FHIR);
        guide.loadPackageFromClasspath("classpath:mcs-fhir-ig/package.tgz");
        UnknownCodeSystemWarningValidationSupport unknownSystems = new UnknownCodeSystemWarningValidationSupport(FHIR);
        unknownSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(FHIR),
                guide,
                new CommonCodeSystemsTerminologyService(FHIR),
                unknownSystems,
                new InMemoryTerminologyServerValidationSupport(FHIR));
        validator = FHIR.newValidator();
        validator.registerValidatorModule(new FhirInstanceValidator(chain));
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void windowOfEveryChannel_conformsToMcsPumpTelemetry(Channel channel) {
        double[] slots = new double[60];
        Arrays.fill(slots, Double.NaN);
        slots[0] = channel.min;
        slots[1] = channel.max;
        slots[30] = channel.wholeNumbers ? 7 : (channel.min + channel.max) / 3;
        Observation window = window("Procedure/insertion-1", channel, slots);

        assertThat(errors(window)).isEmpty();
        assertThat(window.getIdentifierFirstRep().getValue()).isEqualTo("pump-1/" + channel.code() + "/1773154800");
        assertThat(window.getValueSampledData().getData().split(" "))
                .hasSize(60)
                .contains("E");
    }

    @ParameterizedTest
    @EnumSource(
            value = Channel.class,
            names = {"PUMP_FLOW", "PERFORMANCE_LEVEL"})
    void windowWithoutInsertionProcedure_conformsToo(Channel channel) {
        double[] slots = new double[60];
        Arrays.fill(slots, 3);
        Observation window = window(null, channel, slots);

        assertThat(errors(window)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(
            value = Channel.class,
            names = {"PERFORMANCE_LEVEL"})
    void theValidatorDoesCatchABrokenWindow(Channel channel) {
        double[] slots = new double[60];
        Arrays.fill(slots, 12); // above 9: mcs-tel-5
        Observation window = window(null, channel, slots);

        assertThat(errors(window)).anyMatch(message -> message.contains("mcs-tel-5"));
    }

    /** A one-minute window of pump-1 of patient p-1 during {@code insertion} ({@code null}: none), one slot a second. */
    private static Observation window(String insertion, Channel channel, double[] slots) {
        return WindowObservations.window(
                new DeviceResolver.DeviceLink("pump-1", "Patient/p-1", insertion),
                channel,
                WINDOW_START,
                60_000,
                1000,
                slots);
    }

    private static List<String> errors(Observation observation) {
        ValidationResult result =
                validator.validateWithResult(FHIR.newJsonParser().encodeResourceToString(observation));
        return result.getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .map(SingleValidationMessage::toString)
                .toList();
    }
}
