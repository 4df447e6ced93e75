package org.mcsfhir.server.telemetry;

/** The guide's canonical URLs the telemetry feature writes into resources. */
final class TelemetryCodes {

    static final String PROFILE = "https://mcs-fhir.org/fhir/StructureDefinition/mcs-pump-telemetry";
    static final String CHANNEL_SYSTEM = "https://mcs-fhir.org/fhir/CodeSystem/mcs-telemetry-channel-cs";
    static final String CATEGORY_SYSTEM = "https://mcs-fhir.org/fhir/CodeSystem/mcs-observation-category-cs";
    static final String CATEGORY_CODE = "device-telemetry";
    static final String CATEGORY_DISPLAY = "Device telemetry";
    static final String SUMMARY_SYSTEM = "https://mcs-fhir.org/fhir/CodeSystem/mcs-telemetry-summary-cs";
    static final String WINDOW_IDENTIFIER_SYSTEM = "https://mcs-fhir.org/fhir/sid/telemetry-window";
    static final String UCUM = "http://unitsofmeasure.org";
    static final String SNOMED = "http://snomed.info/sct";
    /** mcs-pump-insertion's fixed Procedure.code: implantation of left cardiac ventricular assist device. */
    static final String INSERTION_CODE = "232967006";
    /** The storage interceptor of the validation feature skips resources written with this user-data flag. */
    static final String VALIDATION_SKIP_KEY = "mcs.validation.skip";

    private TelemetryCodes() {}

    /** The deterministic window identity: {@code deviceId/channel/windowStartEpochSeconds} (invariant mcs-tel-6). */
    static String windowIdentifier(String deviceId, Channel channel, long windowStartMs) {
        return deviceId + "/" + channel.code() + "/" + Math.floorDiv(windowStartMs, 1000L);
    }
}
