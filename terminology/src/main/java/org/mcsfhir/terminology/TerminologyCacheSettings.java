package org.mcsfhir.terminology;

import java.time.Duration;

/**
 * Size and lifetime of each terminology cache. Entries expire so that several server nodes sharing one database
 * converge after a change to the guide's content without any cross-node invalidation.
 */
public record TerminologyCacheSettings(long maximumEntries, Duration expireAfterWrite) {

    public static TerminologyCacheSettings defaults() {
        return new TerminologyCacheSettings(10_000, Duration.ofMinutes(10));
    }
}
