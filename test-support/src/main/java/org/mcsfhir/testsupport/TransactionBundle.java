package org.mcsfhir.testsupport;

/**
 * A FHIR transaction Bundle of PUTs, written as text. Shared because the guide's examples ({@link GuideSources}) and
 * the integration tests' synthetic cohorts are all loaded this way: one PUT per resource under its own id, with a
 * {@code fullUrl} of {@code type/id} so that the entries may refer to each other.
 */
public final class TransactionBundle {

    private TransactionBundle() {}

    /** Appends one entry that PUTs {@code json} as {@code type/id} to {@code entries}, comma-separated. */
    public static void putEntry(StringBuilder entries, String type, String id, String json) {
        if (entries.length() > 0) {
            entries.append(',');
        }
        entries.append("{\"fullUrl\":\"")
                .append(type)
                .append('/')
                .append(id)
                .append("\",\"resource\":")
                .append(json)
                .append(",\"request\":{\"method\":\"PUT\",\"url\":\"")
                .append(type)
                .append('/')
                .append(id)
                .append("\"}}");
    }

    /** The transaction Bundle around {@code entries} (as {@link #putEntry} writes them). */
    public static String of(CharSequence entries) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entries + "]}";
    }
}
