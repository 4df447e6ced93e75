package org.mcsfhir.server.outcomes;

import ca.uhn.fhir.context.FhirContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.mcsfhir.server.cases.CaseRow;
import org.mcsfhir.server.guide.GuideCodes;
import org.mcsfhir.server.guide.GuideResources;

/**
 * What a recorded code counts as in the audit, from the guide's ConceptMaps rather than tables in code, so the
 * terminology and its mapping are published and reviewed in one place: {@code mcs-complication-to-audit} (complication
 * type), {@code mcs-access-site-to-audit} and {@code mcs-shock-aetiology-to-audit} (strata). Read from the guide's
 * package once, at start-up. A coding is matched by system and code (the case table's {@code system#code} token,
 * {@link CaseRow}), so a code of the right value in another system counts as nothing. A map whose target is not a
 * complication type or stratum the audit reports stops the start: its figures would have no group to go to.
 */
final class StratumMaps {

    static final String COMPLICATIONS = "mcs-complication-to-audit";
    static final String ACCESS_SITES = "mcs-access-site-to-audit";
    static final String AETIOLOGIES = "mcs-shock-aetiology-to-audit";

    /** Equivalences that say the source has no target. */
    private static final Set<ConceptMapEquivalence> NO_TARGET =
            Set.of(ConceptMapEquivalence.UNMATCHED, ConceptMapEquivalence.DISJOINT);

    private final Map<String, String> complicationTypes;
    private final Map<String, String> accessSites;
    private final Map<String, String> aetiologies;

    private StratumMaps(
            Map<String, String> complicationTypes, Map<String, String> accessSites, Map<String, String> aetiologies) {
        this.complicationTypes = complicationTypes;
        this.accessSites = accessSites;
        this.aetiologies = aetiologies;
    }

    static StratumMaps fromGuide(NpmPackage guide, FhirContext fhir) {
        return new StratumMaps(
                read(guide, fhir, COMPLICATIONS, AuditFigures.COMPLICATION_TYPES),
                read(guide, fhir, ACCESS_SITES, Stratification.STRATIFIERS.get(Stratification.ACCESS_SITE)),
                read(guide, fhir, AETIOLOGIES, Stratification.STRATIFIERS.get(Stratification.AETIOLOGY)));
    }

    /** The complication type ({@code mcs-audit-cs}, e.g. {@code complication-bleeding}) of a token, or null. */
    String complicationType(String token) {
        return complicationTypes.get(token);
    }

    /** The access-site stratum of a {@code bodySite} token, or null. */
    String accessSite(String token) {
        return accessSites.get(token);
    }

    /** The aetiology stratum ({@code ami}, {@code non-ami}) of a {@code reasonCode} token, or null. */
    String aetiology(String token) {
        return aetiologies.get(token);
    }

    /** Token → target code of one map; every target must be one of {@code reported}. */
    private static Map<String, String> read(NpmPackage guide, FhirContext fhir, String id, List<String> reported) {
        ConceptMap map = GuideResources.conceptMap(guide, fhir, id);
        Map<String, String> byToken = new HashMap<>();
        for (ConceptMap.ConceptMapGroupComponent group : map.getGroup()) {
            if (!GuideCodes.AUDIT_SYSTEM.equals(group.getTarget())) {
                throw new IllegalStateException(id + " maps to " + group.getTarget() + ", not the audit's codes");
            }
            for (ConceptMap.SourceElementComponent element : group.getElement()) {
                List<String> targets = element.getTarget().stream()
                        .filter(t -> t.hasCode() && !NO_TARGET.contains(t.getEquivalence()))
                        .map(ConceptMap.TargetElementComponent::getCode)
                        .toList();
                if (targets.size() > 1 || !reported.containsAll(targets)) {
                    throw new IllegalStateException(id + " maps " + element.getCode() + " to " + targets + ": one of "
                            + reported + " expected");
                }
                if (!targets.isEmpty()) {
                    byToken.put(CaseRow.token(group.getSource(), element.getCode()), targets.get(0));
                }
            }
        }
        return Map.copyOf(byToken);
    }
}
