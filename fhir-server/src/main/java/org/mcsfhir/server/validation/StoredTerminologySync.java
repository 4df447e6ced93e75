package org.mcsfhir.server.validation;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.cache.IResourceChangeEvent;
import ca.uhn.fhir.jpa.cache.IResourceChangeListener;
import ca.uhn.fhir.jpa.cache.IResourceChangeListenerRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.hl7.fhir.instance.model.api.IIdType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the terminology operations of every node current with the database. HAPI answers {@code $lookup},
 * {@code $validate-code}, {@code $expand} and {@code $translate} from stored CodeSystems, ValueSets and ConceptMaps
 * through a validation-support chain that caches each answer for 10 minutes, and only the node that stored a change
 * clears its cache: another node kept answering from the old content for 16 minutes and more. Here HAPI's resource
 * change listener compares the stored versions of those types with the last ones seen, every {@code refresh}, and
 * any change clears this node's chain, so a change made on one node is seen by all within {@code refresh} plus HAPI's
 * 10-second local polling.
 */
class StoredTerminologySync implements IResourceChangeListener, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StoredTerminologySync.class);
    static final List<String> TERMINOLOGY_TYPES = List.of("CodeSystem", "ValueSet", "ConceptMap");

    private final IResourceChangeListenerRegistry changes;
    private final IValidationSupport storedTerminology;
    private final Duration refresh;
    private volatile boolean running;

    StoredTerminologySync(
            IResourceChangeListenerRegistry changes, IValidationSupport storedTerminology, Duration refresh) {
        this.changes = changes;
        this.storedTerminology = storedTerminology;
        this.refresh = refresh;
    }

    @Override
    public void handleInit(Collection<IIdType> resourceIds) {
        // the first look at the table: nothing cached can be older than it
    }

    @Override
    public void handleChange(IResourceChangeEvent event) {
        log.info(
                "Stored terminology changed ({} created, {} updated, {} deleted): clearing this node's terminology "
                        + "caches",
                event.getCreatedResourceIds().size(),
                event.getUpdatedResourceIds().size(),
                event.getDeletedResourceIds().size());
        storedTerminology.invalidateCaches();
    }

    @Override
    public void start() {
        for (String type : TERMINOLOGY_TYPES) {
            changes.registerResourceResourceChangeListener(
                    type,
                    RequestPartitionId.defaultPartition(),
                    SearchParameterMap.newSynchronous(),
                    this,
                    refresh.toMillis());
        }
        running = true;
    }

    @Override
    public void stop() {
        changes.unregisterResourceResourceChangeListener(this);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
