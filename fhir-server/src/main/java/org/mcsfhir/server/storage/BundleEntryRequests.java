package org.mcsfhir.server.storage;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.mcsfhir.server.errors.ClientErrors;

/**
 * Every entry of a transaction or batch must say what to do with it ({@code request.method} and {@code request.url},
 * FHIR's bdl-3): HAPI reads the method of each entry without checking and fails on a missing one with a
 * NullPointerException (a 500). Refused as a whole with 400 ({@code MCS-0432}) naming the entry, before anything runs.
 */
@Interceptor
class BundleEntryRequests {

    @Hook(Pointcut.STORAGE_TRANSACTION_PROCESSING)
    public void check(IBaseBundle bundle) {
        if (!(bundle instanceof Bundle r4)) {
            return;
        }
        List<BundleEntryComponent> entries = r4.getEntry();
        for (int i = 0; i < entries.size(); i++) {
            BundleEntryComponent entry = entries.get(i);
            if (entry == null
                    || !entry.getRequest().hasMethod()
                    || !entry.getRequest().hasUrl()) {
                throw ClientErrors.invalid(
                        "MCS-0432: entry " + i + " of the "
                                + (r4.hasType() ? r4.getType().toCode() : "Bundle") + " has no "
                                + "request.method and request.url; each entry must say what to do with it (bdl-3)",
                        "Bundle.entry[" + i + "].request");
            }
        }
    }
}
