package org.mcsfhir.server.limits;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;

/**
 * Tells clients the request limits before they hit one: the CapabilityStatement's {@code rest.documentation} names
 * the body size and the transaction entry limit, and the {@code transaction} and {@code batch} interactions repeat
 * the entry limit. R4 has no structured element for limits, so they are stated in the documentation markdown.
 */
@Interceptor
class CapabilityLimits {

    private final long maxRequestBytes;
    private final int maxTransactionEntries;

    CapabilityLimits(long maxRequestBytes, int maxTransactionEntries) {
        this.maxRequestBytes = maxRequestBytes;
        this.maxTransactionEntries = maxTransactionEntries;
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void describeLimits(IBaseConformance capabilityStatement) {
        if (!(capabilityStatement instanceof CapabilityStatement statement)) {
            return;
        }
        String entries = "At most " + maxTransactionEntries + " entries per transaction or batch Bundle"
                + " (mcs.limits.max-transaction-entries; more: 413, MCS-0485).";
        for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
            rest.setDocumentation("Request bodies up to " + maxRequestBytes + " bytes (mcs.fhir.max-request-size;"
                    + " more: 413, MCS-0413). " + entries);
            for (CapabilityStatement.SystemInteractionComponent interaction : rest.getInteraction()) {
                if (interaction.getCode() == SystemRestfulInteraction.TRANSACTION
                        || interaction.getCode() == SystemRestfulInteraction.BATCH) {
                    interaction.setDocumentation(entries);
                }
            }
        }
    }
}
