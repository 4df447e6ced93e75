package org.mcsfhir.server.limits;

/**
 * The structural limits one request body is scanned against (sizes in bytes as sent, after decompression).
 *
 * @param maxDepth deepest nesting of JSON objects and arrays, or of XML elements
 * @param maxValues values in one body: JSON objects, arrays and scalars; XML elements
 * @param maxResourceValues values (elements) in one resource, those of resources inside it under a {@code resource}
 *     key (Bundle entries) left out; a Bundle's own values are not limited
 * @param maxArrayLength items in one JSON array; child elements of one XML element
 * @param maxStringLength bytes in one JSON string or XML attribute value or text; base64 {@code data} is exempt
 * @param maxExtensions {@code extension} plus {@code modifierExtension} entries on one element
 * @param maxNumberLength characters in one JSON number literal
 * @param maxTransactionEntries entries in one transaction or batch Bundle (HAPI processes them in one unit of work,
 *     holding every entry's entities until the end; a stored Bundle of another type is one resource and not limited)
 */
public record BodyLimits(
        int maxDepth,
        int maxValues,
        int maxResourceValues,
        int maxArrayLength,
        int maxStringLength,
        int maxExtensions,
        int maxNumberLength,
        int maxTransactionEntries) {

    /** Exponents longer than this ({@code 1e999999}) expand to millions of digits in the parser. */
    public static final int MAX_EXPONENT_DIGITS = 3;
}
