package org.mcsfhir.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.util.FhirTerser;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.mcsfhir.server.cases.RecordCentre;

/**
 * Answers "which centre does this belong to?" from stored data: a Patient belongs to its {@code managingOrganization}
 * (the product's one rule, {@link RecordCentre}), a resource in a Patient compartment to its patients' centre, a
 * Device to its {@code owner} and its patient's centre (both, where named), a Task to its {@code owner} (and its patient's centre).
 * Reads go straight to the DAOs with a system request, so they are neither authorised nor audited themselves.
 */
public class CentreDirectory {

    private final FhirContext fhirContext;
    private final DaoRegistry daoRegistry;

    public CentreDirectory(FhirContext fhirContext, DaoRegistry daoRegistry) {
        this.fhirContext = fhirContext;
        this.daoRegistry = daoRegistry;
    }

    /** Logical ids of every Patient whose managingOrganization is {@code Organization/<centre>}. */
    public Set<String> patientIdsOf(String centre) {
        SearchParameterMap byCentre = SearchParameterMap.newSynchronous()
                .add(Patient.SP_ORGANIZATION, new ReferenceParam("Organization/" + centre));
        Set<String> ids = new LinkedHashSet<>();
        for (IIdType id : patientDao().searchForResourceIds(byCentre, new SystemRequestDetails())) {
            ids.add(id.getIdPart());
        }
        return ids;
    }

    /** The centre of a stored patient, empty if it does not exist (or was deleted) or names none. */
    public Optional<String> centreOfPatient(String patientId) {
        return readQuietly(patientDao(), "Patient/" + patientId)
                .map(patient -> RecordCentre.of((Patient) patient))
                .orElse(Optional.empty());
    }

    /** Whether a stored Device belongs to the centre (its owner, or the centre of the patient it is implanted in). */
    public boolean deviceBelongsTo(String deviceId, String centre) {
        return readQuietly(daoRegistry.getResourceDao("Device"), "Device/" + deviceId)
                .map(device -> deviceBelongsTo((Device) device, centre, new HashMap<>()))
                .orElse(false);
    }

    /** Whether a stored resource (by type and logical id) belongs to the centre, as {@link #belongsTo} decides. */
    public boolean storedBelongsTo(IIdType id, String centre) {
        return stored(id).map(resource -> belongsTo(resource, centre)).orElse(false);
    }

    /** The current version of a stored resource, empty if there is none (never was, or deleted). */
    public Optional<IBaseResource> stored(IIdType id) {
        if (!id.hasResourceType()
                || !id.hasIdPart()
                || !fhirContext.getResourceTypes().contains(id.getResourceType())) {
            return Optional.empty();
        }
        return readQuietly(
                daoRegistry.getResourceDao(id.getResourceType()), id.getResourceType() + "/" + id.getIdPart());
    }

    /**
     * Whether a resource about to be written belongs to the centre: a Patient managed by it, a Device it owns (or
     * implanted in one of its patients), anything else only if it is in the compartment of at least one patient and
     * all its patients belong to the centre. References to resources created in the same transaction
     * ({@code urn:uuid:}) count as the centre's: those resources are checked themselves.
     */
    public boolean belongsTo(IBaseResource resource, String centre) {
        return belongsTo(resource, centre, new HashMap<>());
    }

    /**
     * As {@link #belongsTo(IBaseResource, String)}, remembering in {@code patientMemo} ({@code Patient/<id>} → belongs)
     * which patients were looked up, so a request that checks several records of the same patient reads it once.
     */
    public boolean belongsTo(IBaseResource resource, String centre, Map<String, Boolean> patientMemo) {
        if (resource instanceof Patient patient) {
            return RecordCentre.of(patient).filter(centre::equals).isPresent();
        }
        if (resource instanceof Device device) {
            return deviceBelongsTo(device, centre, patientMemo);
        }
        if (resource instanceof Task task) {
            // owned by the centre, and about one of its patients if about a patient at all
            return task.hasOwner()
                    && references(task.getOwner(), "Organization", centre)
                    && (!task.hasFor() || patientBelongsTo(task.getFor().getReferenceElement(), centre, patientMemo));
        }
        List<IIdType> patients = patientsOf(resource);
        return !patients.isEmpty()
                && patients.stream().allMatch(patient -> patientBelongsTo(patient, centre, patientMemo));
    }

    /**
     * Whether a resource going out to a client of the centre is the centre's: a Patient among {@code patientIds}, or a
     * resource in the Patient compartment of at least one of them (HAPI's compartment semantics). One pass over the
     * resource's references and a set lookup, however many patients the centre has.
     */
    public boolean inCompartmentOfAny(IBaseResource resource, Set<String> patientIds) {
        if (resource instanceof Patient patient) {
            return patientIds.contains(patient.getIdElement().getIdPart());
        }
        for (IIdType patient : patientsOf(resource)) {
            if ("Patient".equals(patient.getResourceType())
                    && !patient.isAbsolute()
                    && patientIds.contains(patient.getIdPart())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The patients whose compartment the resource is in. HAPI's compartment owners include every reference of a
     * compartment search parameter (Procedure.performer names Practitioners and Organizations too); only Patient
     * references count, and {@code urn:uuid:} references of a transaction, whose targets are checked themselves.
     */
    private List<IIdType> patientsOf(IBaseResource resource) {
        return new FhirTerser(fhirContext)
                .getCompartmentOwnersForResource("Patient", resource, Set.of()).stream()
                        .filter(owner -> "Patient".equals(owner.getResourceType())
                                || (owner.getValue() != null && owner.getValue().startsWith("urn:uuid:")))
                        .toList();
    }

    /**
     * Owned by the centre if it names an owner, and implanted in one of its patients if it names a patient: a Device
     * owned by one centre but implanted in another's patient belongs to neither (its telemetry would cross over).
     */
    private boolean deviceBelongsTo(Device device, String centre, Map<String, Boolean> patientMemo) {
        if (!device.hasOwner() && !device.hasPatient()) {
            return false;
        }
        return (!device.hasOwner() || references(device.getOwner(), "Organization", centre))
                && (!device.hasPatient()
                        || patientBelongsTo(device.getPatient().getReferenceElement(), centre, patientMemo));
    }

    private boolean patientBelongsTo(IIdType patient, String centre, Map<String, Boolean> patientMemo) {
        String value = patient.getValue();
        if (value != null && value.startsWith("urn:uuid:")) {
            return true;
        }
        if (patient.isAbsolute() || !"Patient".equals(patient.getResourceType()) || !patient.hasIdPart()) {
            return false;
        }
        return patientMemo.computeIfAbsent(
                "Patient/" + patient.getIdPart(),
                key -> centreOfPatient(patient.getIdPart())
                        .filter(centre::equals)
                        .isPresent());
    }

    private static boolean references(Reference reference, String type, String id) {
        IIdType target = reference.getReferenceElement();
        return !target.isAbsolute() && type.equals(target.getResourceType()) && id.equals(target.getIdPart());
    }

    @SuppressWarnings("unchecked")
    private IFhirResourceDao<Patient> patientDao() {
        return daoRegistry.getResourceDao(Patient.class);
    }

    private static Optional<IBaseResource> readQuietly(IFhirResourceDao<?> dao, String id) {
        try {
            return Optional.of(dao.read(new IdType(id), new SystemRequestDetails()));
        } catch (BaseServerResponseException notFoundOrGone) {
            return Optional.empty();
        }
    }
}
