package org.mcsfhir.server.storage;

import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A feature's word that some of its own resources may keep referencing a resource that is deleted: they are
 * bookkeeping the feature lets go of (or cleans up itself), not evidence. Each feature that keeps such resources
 * contributes a bean; {@link StillReferencedGuard} lets a delete go ahead only past referrers one of them exempts.
 * The decision must rest on something a client cannot write, e.g. an identifier system or id that the owning
 * feature refuses in client writes.
 */
public interface DeleteExemption {

    /** The resource type this exemption may let go, e.g. {@code "Task"}; referrers of other types are not read. */
    String resourceType();

    /** Whether this referrer (of {@link #resourceType()}, read as stored) does not block a delete. */
    boolean exempts(IBaseResource referrer);
}
