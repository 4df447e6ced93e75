package org.mcsfhir.server.storage;

import ca.uhn.fhir.broker.api.IBrokerClient;
import ca.uhn.fhir.broker.api.IChannelNamer;
import ca.uhn.fhir.broker.impl.LinkedBlockingBrokerClient;
import ca.uhn.fhir.jpa.subscription.channel.impl.LinkedBlockingChannelFactory;
import ca.uhn.fhir.jpa.subscription.channel.impl.RetryPolicyProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * HAPI's batch2 framework (which runs Bulk Data export and reindexing) hands work items to its workers through a
 * message broker. In-memory queues suffice: job state itself is kept in the database, so a restarted or second node
 * picks unfinished work up from there.
 */
@Configuration
class BatchMessagingConfig {

    @Bean
    IChannelNamer channelNamer() {
        return (name, settings) -> name;
    }

    @Bean
    LinkedBlockingChannelFactory linkedBlockingChannelFactory(IChannelNamer channelNamer) {
        return new LinkedBlockingChannelFactory(channelNamer, new RetryPolicyProvider());
    }

    @Bean
    IBrokerClient brokerClient(IChannelNamer channelNamer, LinkedBlockingChannelFactory channelFactory) {
        LinkedBlockingBrokerClient client = new LinkedBlockingBrokerClient(channelNamer);
        client.setLinkedBlockingChannelFactory(channelFactory);
        return client;
    }
}
