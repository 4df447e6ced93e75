package org.mcsfhir.server.cases;

import java.util.Optional;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The product's one rule for which evidence may belong to a pump-insertion case: <b>evidence belongs to a case only
 * if it is about the insertion's patient</b> ({@code Procedure.subject}), whatever its references to the case say
 * ({@code focus}, {@code partOf}, {@code provision.data}, {@code complicationDetail}, {@code focalDevice}). A record
 * of one centre's patient that points at another centre's insertion must not become part of that case, its registry
 * pull, its audit or its worklist; the registry case, the outcome audit and the worklist all ask here.
 *
 * <p>References are compared by resource type and logical id of relative references ({@code Patient/5} equals
 * {@code Patient/5/_history/2}); absolute, contained or logical references never match. A resource type without a
 * known patient element here fails closed.
 */
public final class CaseEvidence {

    private CaseEvidence() {}

    /** Whether the resource's patient element (per type, see {@link #patientOf}) names {@code patientRef}. */
    public static boolean isAbout(Resource evidence, String patientRef) {
        return patientOf(evidence).filter(ref -> sameResource(ref, patientRef)).isPresent();
    }

    /**
     * Whether a Device may be the pump of a case: its {@code patient} is absent or the case's patient, and its
     * {@code owner}, when present, is the case's centre ({@code centreRef}; a Device with an owner never qualifies
     * when the case has no known centre).
     */
    public static boolean isPumpOf(Device device, String patientRef, String centreRef) {
        if (device == null) {
            return false;
        }
        if (device.hasPatient() && !sameResource(device.getPatient(), patientRef)) {
            return false;
        }
        return !device.hasOwner() || (centreRef != null && sameResource(device.getOwner(), centreRef));
    }

    /**
     * The reference to the patient a record is about, at its standard place per resource type; empty when the type
     * has none known here (fail closed) or the element is not set.
     */
    public static Optional<Reference> patientOf(Resource evidence) {
        Reference patient;
        if (evidence instanceof Observation observation) {
            patient = observation.getSubject();
        } else if (evidence instanceof Condition condition) {
            patient = condition.getSubject();
        } else if (evidence instanceof Procedure procedure) {
            patient = procedure.getSubject();
        } else if (evidence instanceof Consent consent) {
            patient = consent.getPatient();
        } else if (evidence instanceof Device device) {
            patient = device.getPatient();
        } else if (evidence instanceof QuestionnaireResponse response) {
            patient = response.getSubject();
        } else {
            patient = null;
        }
        return patient != null && patient.hasReference() ? Optional.of(patient) : Optional.empty();
    }

    /** Same resource type and logical id, both relative; the version is ignored. */
    public static boolean sameResource(Reference reference, String target) {
        if (reference == null || !reference.hasReference() || target == null) {
            return false;
        }
        IIdType a = reference.getReferenceElement();
        IIdType b = new IdType(target);
        return relative(a)
                && relative(b)
                && a.getResourceType().equals(b.getResourceType())
                && a.getIdPart().equals(b.getIdPart());
    }

    private static boolean relative(IIdType id) {
        return !id.isAbsolute() && !id.isLocal() && id.hasResourceType() && id.hasIdPart();
    }
}
