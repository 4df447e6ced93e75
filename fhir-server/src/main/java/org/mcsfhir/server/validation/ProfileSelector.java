package org.mcsfhir.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseBooleanDatatype;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.mcsfhir.server.guide.GuideCodes;

/**
 * Decides which of the guide's profiles a resource must conform to: those it declares in {@code meta.profile}, plus
 * the one its content selects according to the guide's {@code profile-selection.json} (a pump insertion is
 * recognised by its procedure code, telemetry by its category...), so leaving {@code meta.profile} out does not
 * bypass validation.
 */
public class ProfileSelector {

    static final String RULES_ON_CLASSPATH = "/mcs-fhir-ig/profile-selection.json";

    private record Rule(String resourceType, String when, String profile) {}

    private final IFhirPath fhirPath;
    private final List<Rule> rules;
    private final List<IFhirPath.IParsedExpression> parsed;

    ProfileSelector(FhirContext fhir, List<Rule> rules) {
        this.fhirPath = fhir.newFhirPath();
        this.rules = List.copyOf(rules);
        // parsed once (a write would otherwise parse every rule of its type again), and so a rule that does not
        // parse fails the start-up, not the first write
        this.parsed = new ArrayList<>();
        for (Rule rule : rules) {
            try {
                parsed.add(fhirPath.parse(rule.when()));
            } catch (Exception e) {
                throw new IllegalStateException("profile-selection rule for " + rule.profile() + " does not parse", e);
            }
        }
    }

    public static ProfileSelector fromClasspath(FhirContext fhir) {
        try (InputStream in = ProfileSelector.class.getResourceAsStream(RULES_ON_CLASSPATH)) {
            if (in == null) {
                throw new IllegalStateException(RULES_ON_CLASSPATH + " is missing from the guide package jar");
            }
            List<Rule> rules = new ArrayList<>();
            for (JsonNode rule : new ObjectMapper().readTree(in).path("rules")) {
                rules.add(new Rule(
                        rule.path("resourceType").asText(),
                        rule.path("when").asText(),
                        rule.path("profile").asText()));
            }
            return new ProfileSelector(fhir, rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The guide profiles this resource must conform to; empty when the guide says nothing about it. */
    public Set<String> profilesFor(IBaseResource resource) {
        Set<String> profiles = new LinkedHashSet<>();
        for (IPrimitiveType<String> declared : resource.getMeta().getProfile()) {
            if (declared.getValue() != null && declared.getValue().startsWith(GuideCodes.STRUCTURE_DEFINITION_BASE)) {
                profiles.add(declared.getValue().split("\\|")[0]);
            }
        }
        String type = resource.fhirType();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            if (rule.resourceType().equals(type) && matches(resource, parsed.get(i))) {
                profiles.add(rule.profile());
            }
        }
        return profiles;
    }

    private boolean matches(IBaseResource resource, IFhirPath.IParsedExpression expression) {
        return fhirPath.evaluateFirst(resource, expression, IBaseBooleanDatatype.class)
                .map(IBaseBooleanDatatype::getValue)
                .orElse(false);
    }
}
