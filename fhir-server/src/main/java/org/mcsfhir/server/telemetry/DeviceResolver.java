package org.mcsfhir.server.telemetry;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Date;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Procedure;
import org.mcsfhir.server.guide.GuideCodes;

/**
 * Device → patient and insertion Procedure, as every window Observation needs them, cached per node with Caffeine for
 * a short time (a second node or an edit of the Device is seen after at most the TTL). Unknown devices and devices
 * without a patient are not cached: they are errors the client is expected to fix.
 */
class DeviceResolver {

    /** The guide's SearchParameter mcs-device-serial-number. */
    private static final String SERIAL_NUMBER = "serial-number";

    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final IFhirResourceDao<Device> devices;
    private final IFhirResourceDao<Procedure> procedures;
    private final Cache<String, DeviceLink> cache;
    private final Cache<String, String> equipmentIds;

    DeviceResolver(DaoRegistry daos, Duration ttl) {
        this.devices = daos.getResourceDao(Device.class);
        this.procedures = daos.getResourceDao(Procedure.class);
        this.cache =
                Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(50_000).build();
        this.equipmentIds =
                Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(50_000).build();
    }

    /**
     * @throws TelemetryException 404 if there is no such Device, 422 if it is not linked to a patient
     */
    DeviceLink resolve(String deviceId) {
        DeviceLink cached = cache.getIfPresent(deviceId);
        if (cached != null) {
            return cached;
        }
        DeviceLink link = load(deviceId);
        cache.put(deviceId, link);
        return link;
    }

    private DeviceLink load(String deviceId) {
        if (!FHIR_ID.matcher(deviceId).matches()) {
            throw unknown(deviceId);
        }
        Device device;
        try {
            device = devices.read(new IdType("Device", deviceId), new SystemRequestDetails());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            throw unknown(deviceId);
        }
        if (!device.hasPatient() || !device.getPatient().hasReference()) {
            throw new TelemetryException(
                    422,
                    "business-rule",
                    "MCS-0709: Device/" + deviceId
                            + " is not linked to a patient (Device.patient); telemetry needs a subject",
                    "Device.patient");
        }
        String patient = device.getPatient()
                .getReferenceElement()
                .toUnqualifiedVersionless()
                .getValue();
        return new DeviceLink(deviceId, patient, insertionOf(deviceId, patient));
    }

    /** The latest mcs-pump-insertion Procedure of the patient whose focal device is this pump, or null. */
    private String insertionOf(String deviceId, String patient) {
        SearchParameterMap search = SearchParameterMap.newSynchronous()
                .add(Procedure.SP_SUBJECT, new ReferenceParam(patient))
                .add(Procedure.SP_CODE, new TokenParam(GuideCodes.SNOMED, GuideCodes.INSERTION_CODE));
        IBundleProvider found = procedures.search(search, new SystemRequestDetails());
        Procedure latest = null;
        for (IBaseResource resource : found.getAllResources()) {
            Procedure procedure = (Procedure) resource;
            boolean thisPump = procedure.getFocalDevice().stream()
                    .anyMatch(focal -> deviceId.equals(
                            focal.getManipulated().getReferenceElement().getIdPart()));
            if (thisPump && (latest == null || performed(procedure).after(performed(latest)))) {
                latest = procedure;
            }
        }
        return latest == null ? null : "Procedure/" + latest.getIdElement().getIdPart();
    }

    private static Date performed(Procedure procedure) {
        if (procedure.hasPerformedPeriod() && procedure.getPerformedPeriod().hasStart()) {
            return procedure.getPerformedPeriod().getStart();
        }
        if (procedure.hasPerformedDateTimeType()) {
            return procedure.getPerformedDateTimeType().getValue();
        }
        return new Date(0);
    }

    /**
     * The logical id of the one Device named by an equipment identifier: its {@code identifier} value (any system),
     * else its serial number (guide SearchParameter {@code serial-number}); null if none or more than one match.
     */
    String findByEquipmentId(String equipmentId) {
        String id = equipmentIds.getIfPresent(equipmentId);
        if (id != null) {
            return id;
        }
        id = onlyMatch(new SearchParameterMap().add(Device.SP_IDENTIFIER, new TokenParam(null, equipmentId)));
        if (id == null) {
            id = onlyMatch(new SearchParameterMap().add(SERIAL_NUMBER, new TokenParam(null, equipmentId)));
        }
        if (id != null) {
            equipmentIds.put(equipmentId, id);
        }
        return id;
    }

    private String onlyMatch(SearchParameterMap search) {
        search.setLoadSynchronous(true);
        search.setCount(2);
        var ids = devices.searchForResourceIds(search, new SystemRequestDetails());
        return ids.size() == 1 ? ids.get(0).getIdPart() : null;
    }

    private static TelemetryException unknown(String deviceId) {
        return new TelemetryException(404, "not-found", "MCS-0708: there is no Device/" + deviceId, null);
    }

    /**
     * @param deviceId the Device's logical id
     * @param patientReference {@code Patient/<id>}
     * @param insertionReference {@code Procedure/<id>} of the insertion, or null if none is recorded (yet)
     */
    record DeviceLink(String deviceId, String patientReference, String insertionReference) {}
}
