package org.mcsfhir.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.auth.CompartmentSearchParameterModifications;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import ca.uhn.fhir.storage.interceptor.balp.BalpConstants;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;

/**
 * HAPI's BALP interceptor, except that a write inside a database transaction that already raised an event for the
 * same action, request and patients only adds its resource to that event. The events of one transaction are merged
 * that way anyway ({@link TransactionAuditEvents}); building each of them first cost a tenth of a transaction
 * Bundle's CPU, most of it BALP parsing the same fixed narrative for every event. The first write of each group, and
 * every write outside a transaction Bundle, still gets BALP's own event. The patients are found as BALP finds them
 * (the Patient compartment, with this interceptor's compartment settings).
 */
class BalpWriteCapture extends BalpAuditCaptureInterceptor {

    private final DaoAuditEventSink sink;
    private final AuditContext context;

    BalpWriteCapture(DaoAuditEventSink sink, AuditContext context) {
        super(sink, context);
        this.sink = sink;
        this.context = context;
    }

    @Override
    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void hookStoragePrecommitResourceCreated(IBaseResource resource, ServletRequestDetails request) {
        if (!joined(AuditEventAction.C, resource, request)) {
            super.hookStoragePrecommitResourceCreated(resource, request);
        }
    }

    @Override
    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void hookStoragePrecommitResourceUpdated(
            IBaseResource previous, IBaseResource resource, ServletRequestDetails request) {
        if (!joined(AuditEventAction.U, resource, request)) {
            super.hookStoragePrecommitResourceUpdated(previous, resource, request);
        }
    }

    @Override
    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void hookStoragePrecommitResourceDeleted(IBaseResource resource, ServletRequestDetails request) {
        if (!joined(AuditEventAction.D, resource, request)) {
            super.hookStoragePrecommitResourceDeleted(resource, request);
        }
    }

    private boolean joined(AuditEventAction action, IBaseResource resource, ServletRequestDetails request) {
        return request != null
                && sink.joinTransaction(action, request.getRequestId(), patients(resource, request), () -> {
                    AuditEventEntityComponent data = new AuditEventEntityComponent();
                    data.getType()
                            .setSystem(BalpConstants.CS_AUDIT_ENTITY_TYPE)
                            .setCode(BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT)
                            .setDisplay(BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT_DISPLAY);
                    data.getRole()
                            .setSystem(BalpConstants.CS_OBJECT_ROLE)
                            .setCode(BalpConstants.CS_OBJECT_ROLE_4_DOMAIN_RESOURCE)
                            .setDisplay(BalpConstants.CS_OBJECT_ROLE_4_DOMAIN_RESOURCE_DISPLAY);
                    data.getWhat()
                            .setReference(
                                    context.massageResourceIdForStorage(request, resource, resource.getIdElement()));
                    return data;
                });
    }

    /** The patients whose compartment holds the resource, as BALP names them. */
    private Set<String> patients(IBaseResource resource, ServletRequestDetails request) {
        Set<String> patients = new TreeSet<>();
        FhirContext fhirContext = request.getFhirContext();
        RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(resource);
        if (definition.getName().equals("Patient")) {
            patients.add(context.massageResourceIdForStorage(request, resource, resource.getIdElement()));
        } else if (!definition.getSearchParamsForCompartmentName("Patient").isEmpty()) {
            fhirContext
                    .newTerser()
                    .getCompartmentOwnersForResource(
                            "Patient",
                            resource,
                            CompartmentSearchParameterModifications.fromAdditionalAndOmittedSPNames(
                                    definition.getName(),
                                    getAdditionalPatientCompartmentSPNames(),
                                    getOmittedPatientCompartmentSPNames()))
                    .forEach(owner -> patients.add(context.massageResourceIdForStorage(request, resource, owner)));
        }
        return patients;
    }
}
