package org.mcsfhir.server.storage;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.model.ResourceVersionConflictResolutionStrategy;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;

/**
 * Two clients sending the same conditional create ({@code If-None-Exist}) at once, on one node or two: HAPI's unique
 * search-URL row lets one create the resource and fails the others' transactions with a constraint error (409). FHIR
 * answers the later of two such requests with the existing resource (200), and a retry of the losing transaction does
 * exactly that, because its match now finds the winner. Only conditional writes (and transactions/batches, whose
 * entries may be conditional) are retried: a plain version conflict, such as a stale {@code If-Match}, would only fail
 * again. Concurrent conditional updates that both find nothing are not covered: HAPI keeps no unique row for them,
 * and on PostgreSQL both create (docs/errors.md).
 */
@Interceptor
class ConditionalWriteRetry {

    static final int MAX_RETRIES = 3;

    @Hook(Pointcut.STORAGE_VERSION_CONFLICT)
    public ResourceVersionConflictResolutionStrategy retryConditionalWrites(RequestDetails request) {
        ResourceVersionConflictResolutionStrategy strategy = new ResourceVersionConflictResolutionStrategy();
        if (request != null && isConditionalWrite(request)) {
            strategy.setRetry(true);
            strategy.setMaxRetries(MAX_RETRIES);
        }
        return strategy;
    }

    static boolean isConditionalWrite(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation == null) {
            return false;
        }
        return switch (operation) {
            case CREATE -> request.getHeader(Constants.HEADER_IF_NONE_EXIST) != null;
            case UPDATE, PATCH, DELETE -> request.getConditionalUrl(operation) != null;
            case TRANSACTION, BATCH -> true;
            default -> false;
        };
    }
}
