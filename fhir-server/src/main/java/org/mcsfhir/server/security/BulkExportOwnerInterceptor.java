package org.mcsfhir.server.security;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.interceptor.binary.BinarySecurityContextInterceptor;
import org.hl7.fhir.instance.model.api.IBaseBinary;

/**
 * A Bulk Data export belongs to the client that started it: only that client may poll its status, cancel it or
 * download its files. HAPI's own mechanism carries the owner: at kick-off the job's parameters get the OAuth2 client
 * as {@code binarySecurityContextIdentifier} (HAPI copies it into every output Binary's {@code securityContext});
 * {@link BinarySecurityContextInterceptor} (this class) refuses a Binary whose security context names another client,
 * and the poll-status request is checked against the same stored value. In open mode nothing is restricted.
 */
@Interceptor
class BulkExportOwnerInterceptor extends BinarySecurityContextInterceptor {

    static final String POLL_STATUS = "$export-poll-status";

    private final IJobCoordinator jobs;

    BulkExportOwnerInterceptor(FhirContext fhirContext, IJobCoordinator jobs) {
        super(fhirContext);
        this.jobs = jobs;
    }

    @Hook(Pointcut.STORAGE_PRE_INITIATE_BULK_EXPORT)
    public void recordOwner(BulkExportJobParameters parameters, RequestDetails request) {
        ClientIdentity client = ClientIdentity.of(request);
        if (client.open()) {
            return;
        }
        parameters.setBinarySecurityContextIdentifierSystem(AuditContext.CLIENT_SYSTEM);
        parameters.setBinarySecurityContextIdentifierValue(client.clientId());
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void onlyOwnerPolls(RequestDetails request) {
        if (!POLL_STATUS.equals(request.getOperation())
                || ClientIdentity.of(request).open()) {
            return;
        }
        String[] jobId = request.getParameters().get("_jobId");
        if (jobId == null || jobId.length != 1) {
            return; // HAPI answers 400
        }
        BulkExportJobParameters parameters;
        try {
            JobInstance instance = jobs.getInstance(jobId[0]);
            parameters = instance.getParameters(BulkExportJobParameters.class);
        } catch (ResourceNotFoundException unknown) {
            return; // HAPI answers 404, the same for everyone
        }
        if (!ownedBy(
                parameters.getBinarySecurityContextIdentifierSystem(),
                parameters.getBinarySecurityContextIdentifierValue(),
                request)) {
            throw CentreAuthorizationInterceptor.forbidden();
        }
    }

    @Override
    protected boolean securityContextIdentifierAllowed(String system, String value, RequestDetails request) {
        return ownedBy(system, value, request);
    }

    @Override
    protected void handleForbidden(IBaseBinary binary) {
        throw CentreAuthorizationInterceptor.forbidden();
    }

    private static boolean ownedBy(String system, String value, RequestDetails request) {
        ClientIdentity client = ClientIdentity.of(request);
        return client.open()
                || (AuditContext.CLIENT_SYSTEM.equals(system)
                        && client.clientId().equals(value));
    }
}
