package org.mcsfhir.server.errors;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.Locale;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;

/**
 * Refuses, before anything is stored, a narrative with active content, which FHIR forbids (invariant txt-1) and
 * which any viewer that shows narratives would run: scripts, forms, frames, objects, document-level elements, event
 * handler attributes ({@code onclick}) and {@code javascript:} links. A 400 {@code MCS-0455} naming what was found.
 */
@Interceptor
public class NarrativeCheck {

    private static final Set<String> FORBIDDEN_ELEMENTS = Set.of(
            "script",
            "style",
            "form",
            "input",
            "button",
            "select",
            "textarea",
            "iframe",
            "frame",
            "frameset",
            "object",
            "embed",
            "applet",
            "base",
            "link",
            "meta",
            "html",
            "head",
            "body",
            "svg",
            "math");

    private final FhirContext fhirContext;

    public NarrativeCheck(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void beforeCreate(IBaseResource resource) {
        check(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void beforeUpdate(IBaseResource previous, IBaseResource resource) {
        check(resource);
    }

    void check(IBaseResource resource) {
        var terser = fhirContext.newTerser();
        for (Narrative narrative : terser.getAllPopulatedChildElementsOfType(resource, Narrative.class)) {
            if (narrative.getDiv() != null) {
                String problem = problem(narrative.getDiv());
                if (problem != null) {
                    throw ClientErrors.invalid(
                            "MCS-0455: the narrative contains " + problem + "; a narrative must not "
                                    + "hold active content (scripts, forms, frames, objects, event handlers; FHIR txt-1)",
                            resource.fhirType() + ".text.div");
                }
            }
        }
    }

    /** What is forbidden in this node or below it, or null. */
    static String problem(XhtmlNode node) {
        if (node.getNodeType() == NodeType.Element) {
            String name = node.getName() == null ? "" : node.getName().toLowerCase(Locale.ROOT);
            if (FORBIDDEN_ELEMENTS.contains(name)) {
                return "<" + name + ">";
            }
            for (var attribute : node.getAttributes().entrySet()) {
                String attributeName = attribute.getKey().toLowerCase(Locale.ROOT);
                String value = attribute.getValue() == null
                        ? ""
                        : attribute.getValue().strip().toLowerCase(Locale.ROOT);
                if (attributeName.startsWith("on")) {
                    return "an event handler (" + attributeName + ")";
                }
                if (value.replaceAll("\\s", "").startsWith("javascript:")) {
                    return "a javascript: link";
                }
            }
        }
        if (node.hasChildren()) {
            for (XhtmlNode child : node.getChildNodes()) {
                String problem = problem(child);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }
}
