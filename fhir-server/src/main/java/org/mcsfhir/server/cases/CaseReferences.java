package org.mcsfhir.server.cases;

import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** How the case model reads references: {@code Type/id} strings, versions dropped, other types not matched. */
public final class CaseReferences {

    private CaseReferences() {}

    /** The logical id a reference names when it names a {@code type}; null otherwise (or when absent). */
    public static String idOf(Reference reference, String type) {
        if (reference == null || !reference.hasReference()) {
            return null;
        }
        IdType id = new IdType(reference.getReference());
        return id.hasIdPart() && type.equals(id.getResourceType()) ? id.getIdPart() : null;
    }

    /** Whether the reference names a resource of this type. */
    public static boolean isType(Reference reference, String type) {
        return idOf(reference, type) != null;
    }

    /** {@code Type/id} of a reference, version dropped; null when absent. */
    public static String versionless(Reference reference) {
        return reference == null || !reference.hasReference()
                ? null
                : new IdType(reference.getReference())
                        .toUnqualifiedVersionless()
                        .getValue();
    }

    /** {@code Type/id} of a stored resource. */
    public static String refOf(Resource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }
}
