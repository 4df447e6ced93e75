package org.mcsfhir.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.junit.jupiter.api.Test;

class ConditionalWriteRetryTest {

    private final ConditionalWriteRetry retry = new ConditionalWriteRetry();

    @Test
    void conditionalCreateIsRetried() {
        SystemRequestDetails request = request(RestOperationTypeEnum.CREATE);
        request.addHeader("If-None-Exist", "identifier=urn:x|1");
        assertThat(retry.retryConditionalWrites(request).isRetry()).isTrue();
        assertThat(retry.retryConditionalWrites(request).getMaxRetries()).isEqualTo(ConditionalWriteRetry.MAX_RETRIES);
    }

    @Test
    void plainCreateAndVersionedUpdateAreNot() {
        assertThat(retry.retryConditionalWrites(request(RestOperationTypeEnum.CREATE))
                        .isRetry())
                .isFalse();
        SystemRequestDetails update = request(RestOperationTypeEnum.UPDATE);
        update.setCompleteUrl("http://localhost/fhir/Patient/1");
        assertThat(retry.retryConditionalWrites(update).isRetry()).isFalse();
    }

    @Test
    void transactionsAreRetried() {
        assertThat(retry.retryConditionalWrites(request(RestOperationTypeEnum.TRANSACTION))
                        .isRetry())
                .isTrue();
    }

    private static SystemRequestDetails request(RestOperationTypeEnum operation) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setRestOperationType(operation);
        return request;
    }
}
