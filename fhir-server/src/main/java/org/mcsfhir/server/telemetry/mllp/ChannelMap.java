package org.mcsfhir.server.telemetry.mllp;

import ca.uhn.fhir.context.FhirContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.mcsfhir.server.guide.GuideCodes;
import org.mcsfhir.server.guide.GuideResources;
import org.mcsfhir.server.telemetry.TelemetryIntake;

/**
 * OBX-3 → channel of {@code mcs-telemetry-channel-cs}, through the guide's ConceptMap
 * {@code mcs-telemetry-channel-to-mdc}: an IEEE 11073 MDC code (coding system {@code MDC}) where the map has an
 * equivalent one, otherwise the guide's own channel code (coding system {@code MCS} or the CodeSystem's URL).
 */
final class ChannelMap {

    static final String CONCEPT_MAP_ID = "mcs-telemetry-channel-to-mdc";
    static final Set<String> CHANNEL_SYSTEM_NAMES = Set.of("MCS", GuideCodes.TELEMETRY_CHANNEL_SYSTEM);
    static final String MDC = "MDC";
    private static final Set<ConceptMapEquivalence> SAME =
            Set.of(ConceptMapEquivalence.EQUIVALENT, ConceptMapEquivalence.EQUAL);

    private final Map<String, String> channelByMdc;

    ChannelMap(Map<String, String> channelByMdc) {
        this.channelByMdc = Map.copyOf(channelByMdc);
    }

    static ChannelMap fromGuide(NpmPackage guide, FhirContext fhir) {
        ConceptMap map = GuideResources.conceptMap(guide, fhir, CONCEPT_MAP_ID);
        Map<String, String> byMdc = new HashMap<>();
        map.getGroup()
                .forEach(group -> group.getElement()
                        .forEach(element -> element.getTarget().stream()
                                .filter(target -> target.hasCode() && SAME.contains(target.getEquivalence()))
                                .forEach(target -> byMdc.put(target.getCode(), element.getCode()))));
        return new ChannelMap(byMdc);
    }

    /** The channel code for OBX-3's identifier and coding system; empty if it names no channel. */
    Optional<String> channel(String code, String system) {
        if (MDC.equals(system)) {
            return Optional.ofNullable(channelByMdc.get(code));
        }
        if ((system == null || system.isEmpty() || CHANNEL_SYSTEM_NAMES.contains(system))
                && TelemetryIntake.unitOf(code).isPresent()) {
            return Optional.of(code);
        }
        return Optional.empty();
    }
}
