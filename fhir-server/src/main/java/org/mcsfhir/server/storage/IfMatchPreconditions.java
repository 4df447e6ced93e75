package org.mcsfhir.server.storage;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.mcsfhir.server.errors.ClientErrors;

/**
 * {@code If-Match} on every update, patch and delete (FHIR's optimistic locking). HAPI applies it to PUT and PATCH
 * (a stale version: 409), but fails with a 500 on a malformed value, ignores an empty one, and ignores it altogether
 * on DELETE, so a client that locked on the version it read could delete a newer one. Here a malformed or empty value
 * is a 400 ({@code MCS-0420}) before anything runs, and a DELETE of a resource whose current version is not the one
 * named is refused with 412 Precondition Failed ({@code MCS-0421}) inside the delete's transaction, after access
 * control, so nothing is changed and nothing is told about resources the client may not see. {@code *} means any
 * version. Entries of a transaction carry their own {@code request.ifMatch}, which HAPI applies to PUT entries; this
 * interceptor acts on the request as a whole.
 */
@Interceptor
class IfMatchPreconditions {

    private static final Pattern ETAG = Pattern.compile("^(?:W/)?\"([0-9]{1,18})\"$");
    private static final Set<RestOperationTypeEnum> WRITES =
            EnumSet.of(RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.PATCH, RestOperationTypeEnum.DELETE);
    private static final String EXPECTED = IfMatchPreconditions.class.getName() + ".expected";

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void parse(RequestDetails request) {
        String header = request.getHeader(Constants.HEADER_IF_MATCH);
        if (header == null || !WRITES.contains(request.getRestOperationType())) {
            return;
        }
        if (header.trim().equals("*")) {
            return; // RFC 9110: any current version
        }
        Matcher etag = ETAG.matcher(header.trim());
        if (!etag.matches()) {
            throw ClientErrors.invalid(
                    "MCS-0420: If-Match must name one version as an ETag, e.g. W/\"3\" (the "
                            + "ETag of the version read); this request's value is not one",
                    "If-Match");
        }
        if (request.getRestOperationType() == RestOperationTypeEnum.DELETE) {
            request.getUserData().put(EXPECTED, etag.group(1));
        }
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED, order = 100)
    public void beforeDelete(RequestDetails request, IBaseResource current) {
        check(request, current);
    }

    private static void check(RequestDetails request, IBaseResource current) {
        Object expected = request == null ? null : request.getUserData().get(EXPECTED);
        if (expected == null
                || current == null
                || request.getId() == null
                || !request.getId().getIdPart().equals(current.getIdElement().getIdPart())) {
            return; // no If-Match, or another resource of the same request (a cascade)
        }
        String version = current.getIdElement().getVersionIdPart();
        if (version == null) {
            version = current.getMeta().getVersionId();
        }
        if (!expected.equals(version)) {
            PreconditionFailedException failed = new PreconditionFailedException("MCS-0421: If-Match names version "
                    + expected + " but the resource is at version " + version + "; read it again and retry");
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.CONFLICT)
                    .setDiagnostics(failed.getMessage())
                    .addExpression("If-Match");
            failed.setOperationOutcome(outcome);
            throw failed;
        }
    }
}
