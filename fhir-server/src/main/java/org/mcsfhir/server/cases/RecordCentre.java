package org.mcsfhir.server.cases;

import java.util.Optional;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * The product's one definition of a record's centre: <b>the implanting centre of a clinical record is its patient's
 * {@code managingOrganization}</b> (a relative {@code Organization/<id>} reference; the data dictionary's implanting
 * centre). A pump insertion, its evidence and its telemetry belong to the centre of the insertion's patient, whatever
 * {@code Procedure.performer.onBehalfOf} says. Security decides access by it; the registry case, the outcome audit
 * and the worklist attribute cases by it, so an EHR's own centre is the same for reads, writes and {@code $audit}.
 */
public final class RecordCentre {

    private RecordCentre() {}

    /** The logical id of the patient's centre, empty when it names none (or not as a relative Organization reference). */
    public static Optional<String> of(Patient patient) {
        if (patient == null || !patient.hasManagingOrganization()) {
            return Optional.empty();
        }
        return organizationId(patient.getManagingOrganization());
    }

    /** {@code Organization/<id>} of the patient's centre, or null. */
    public static String referenceOf(Patient patient) {
        return of(patient).map(id -> "Organization/" + id).orElse(null);
    }

    /** The logical id of a relative {@code Organization/<id>} reference, empty for anything else. */
    public static Optional<String> organizationId(Reference reference) {
        if (reference == null || !reference.hasReference()) {
            return Optional.empty();
        }
        IIdType target = reference.getReferenceElement();
        if (target.isAbsolute() || !"Organization".equals(target.getResourceType()) || !target.hasIdPart()) {
            return Optional.empty();
        }
        return Optional.of(target.getIdPart());
    }
}
