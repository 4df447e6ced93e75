package org.mcsfhir.it.support;

import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.stream.IntStream;

/** What a Bundle answer holds, as {@code Type/id} of each entry in order: compared against the expected records. */
public final class BundleKeys {

    private BundleKeys() {}

    public static List<String> of(JsonPath bundle) {
        List<String> types = bundle.getList("entry.resource.resourceType", String.class);
        List<String> ids = bundle.getList("entry.resource.id", String.class);
        return IntStream.range(0, types.size())
                .mapToObj(i -> types.get(i) + "/" + ids.get(i))
                .toList();
    }
}
