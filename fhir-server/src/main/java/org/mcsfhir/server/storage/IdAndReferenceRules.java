package org.mcsfhir.server.storage;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.mcsfhir.server.errors.ClientErrors;

/**
 * Two storage rules HAPI enforces with messages that name its settings; here they are answered with the rule and how
 * to comply (400). Both are kept on purpose (README, "The API"):
 * <ul>
 *   <li>an id a client assigns must not be all digits ({@code MCS-0427}): all-digit ids are the ones the server
 *       assigns, from a sequence, and a client taking one would collide with a later create. Allowing them (HAPI's
 *       client id strategy ANY) needs UUIDs for every server-assigned id, a change of id format under existing data.
 *       An EHR's number belongs in {@code identifier}; a conditional update {@code PUT Patient?identifier=…} keeps
 *       one resource per EHR record without choosing its id;</li>
 *   <li>a reference must be relative and name a resource stored here, not an absolute URL ({@code MCS-0428}): the
 *       server enforces referential integrity (a registry case with dangling links is worthless), which it cannot do
 *       for another server's resource, and the per-centre reference check could only judge the local resource of the
 *       same type and id, not the one the URL points at.</li>
 * </ul>
 */
@Interceptor
class IdAndReferenceRules {

    static final String NUMERIC_ID = "MCS-0427: an id the client assigns must contain at least one character that is "
            + "not a digit (all-digit ids are assigned by the server), e.g. Patient/ehr-123; or create the resource "
            + "with POST, or update it by its identifier (PUT Patient?identifier=system|123)";
    static final String EXTERNAL_REFERENCE = "MCS-0428: references must be relative (Type/id) and name a resource "
            + "stored on this server; an absolute URL is refused, as a resource on another server cannot be checked. "
            + "Store the resource here and refer to it, or name it by Reference.identifier";

    /** Before the generic clean-up ({@code ErrorOutcomeInterceptor}, order 0): the first non-null answer wins. */
    @Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = -10)
    public BaseServerResponseException explain(Throwable thrown) {
        String message = thrown.getMessage();
        if (!(thrown instanceof BaseServerResponseException) || message == null) {
            return null;
        }
        if (message.contains("HAPI-0960")) {
            return ClientErrors.invalid(NUMERIC_ID, null);
        }
        if (message.contains("HAPI-0507")) {
            return ClientErrors.invalid(EXTERNAL_REFERENCE, null);
        }
        return null;
    }
}
