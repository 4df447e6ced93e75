package org.mcsfhir.server.telemetry;

import org.mcsfhir.server.guide.GuideCodes;

/** The guide's canonical URLs the telemetry feature writes into resources (all from {@link GuideCodes}). */
final class TelemetryCodes {

    static final String PROFILE = GuideCodes.TELEMETRY_PROFILE;
    static final String CHANNEL_SYSTEM = GuideCodes.TELEMETRY_CHANNEL_SYSTEM;
    static final String CATEGORY_SYSTEM = GuideCodes.OBSERVATION_CATEGORY_SYSTEM;
    static final String CATEGORY_CODE = GuideCodes.TELEMETRY_CATEGORY_CODE;
    static final String CATEGORY_DISPLAY = GuideCodes.TELEMETRY_CATEGORY_DISPLAY;
    static final String SUMMARY_SYSTEM = GuideCodes.TELEMETRY_SUMMARY_SYSTEM;
    static final String WINDOW_IDENTIFIER_SYSTEM = GuideCodes.TELEMETRY_WINDOW_IDENTIFIER_SYSTEM;
    static final String UCUM = GuideCodes.UCUM;
    static final String SNOMED = GuideCodes.SNOMED;
    /** mcs-pump-insertion's fixed Procedure.code: implantation of left cardiac ventricular assist device. */
    static final String INSERTION_CODE = GuideCodes.INSERTION_CODE;

    private TelemetryCodes() {}

    /** The deterministic window identity: {@code deviceId/channel/windowStartEpochSeconds} (invariant mcs-tel-6). */
    static String windowIdentifier(String deviceId, Channel channel, long windowStartMs) {
        return deviceId + "/" + channel.code() + "/" + Math.floorDiv(windowStartMs, 1000L);
    }
}
