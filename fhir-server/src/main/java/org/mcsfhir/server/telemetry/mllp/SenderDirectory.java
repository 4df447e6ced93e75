package org.mcsfhir.server.telemetry.mllp;

import java.util.List;
import java.util.Optional;

/**
 * MLLP carries no bearer token, so who may send is configuration: a sending facility (MSH-4), optionally narrowed to
 * one sending application (MSH-3), writes for exactly one implanting centre. An exact application entry wins over a
 * facility-wide one.
 */
final class SenderDirectory {

    private final List<MllpProperties.Sender> senders;

    SenderDirectory(List<MllpProperties.Sender> senders) {
        this.senders = List.copyOf(senders);
    }

    /** The centre this sender writes for; empty if it is not configured. */
    Optional<String> centreOf(String facility, String application) {
        Optional<String> exact = find(facility, application);
        return exact.isPresent() ? exact : find(facility, "");
    }

    private Optional<String> find(String facility, String application) {
        return senders.stream()
                .filter(s -> s.facility().equals(facility) && s.application().equals(application))
                .map(MllpProperties.Sender::centre)
                .findFirst();
    }
}
