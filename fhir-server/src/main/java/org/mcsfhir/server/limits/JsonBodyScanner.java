package org.mcsfhir.server.limits;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One pass over a JSON (or NDJSON) body, before any parser builds objects from it, that stops at the first broken
 * limit: nesting depth, values in the body, items in one array, extensions on one element (an array under the key
 * {@code extension} or {@code modifierExtension}), bytes in one string (the value of a {@code data} key, base64, is
 * exempt), the length of number literals and the entries of a transaction or batch Bundle. Malformed JSON is not
 * judged here: the parser reports it.
 */
final class JsonBodyScanner {

    private static final byte[] EXTENSION = "extension".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MODIFIER_EXTENSION = "modifierExtension".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESOURCE = "resource".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESOURCE_TYPE = "resourceType".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BUNDLE = "Bundle".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENTRY = "entry".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TYPE = "type".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSACTION = "transaction".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BATCH = "batch".getBytes(StandardCharsets.US_ASCII);

    private final BodyLimits limits;
    private final byte[] json;

    // one entry per open object or array
    private final boolean[] isArray;
    private final boolean[] isExtensionArray;
    private final int[] items;
    private int depth;

    // one entry per open resource: a top-level object, or the object under a "resource" key (Bundle.entry.resource,
    // Parameters.parameter.resource); contained resources count in the resource that contains them
    private final int[] resourceDepth;
    private final int[] resourceValues;
    private final boolean[] isBundle;
    private final boolean[] isProcessedBundle;
    private final int[] entryArrayDepth;
    private final int[] entries;
    private int resources;

    private int values;
    private boolean expectKey;
    private boolean afterColon;
    private int keyStart = -1;
    private int keyEnd = -1;
    private int valueKeyStart = -1;
    private int valueKeyEnd = -1;

    private JsonBodyScanner(BodyLimits limits, byte[] json) {
        this.limits = limits;
        this.json = json;
        this.isArray = new boolean[limits.maxDepth() + 2];
        this.isExtensionArray = new boolean[limits.maxDepth() + 2];
        this.items = new int[limits.maxDepth() + 2];
        this.resourceDepth = new int[limits.maxDepth() + 2];
        this.resourceValues = new int[limits.maxDepth() + 2];
        this.isBundle = new boolean[limits.maxDepth() + 2];
        this.isProcessedBundle = new boolean[limits.maxDepth() + 2];
        this.entryArrayDepth = new int[limits.maxDepth() + 2];
        this.entries = new int[limits.maxDepth() + 2];
    }

    static void scan(byte[] json, BodyLimits limits) throws BodyRefusedException {
        new JsonBodyScanner(limits, json).run();
    }

    private void run() throws BodyRefusedException {
        boolean inString = false;
        boolean escaped = false;
        boolean stringIsKey = false;
        boolean stringIsExempt = false;
        boolean stringIsResourceType = false;
        boolean stringIsType = false;
        int stringStart = 0;
        boolean inToken = false;
        int numberLength = 0;
        int exponentDigits = -1;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                    if (stringIsKey) {
                        keyStart = stringStart;
                        keyEnd = i;
                    } else if (stringIsResourceType && resources > 0 && resourceDepth[resources] == depth) {
                        isBundle[resources] = Arrays.equals(json, stringStart, i, BUNDLE, 0, BUNDLE.length);
                    } else if (stringIsType && resources > 0 && resourceDepth[resources] == depth) {
                        isProcessedBundle[resources] =
                                Arrays.equals(json, stringStart, i, TRANSACTION, 0, TRANSACTION.length)
                                        || Arrays.equals(json, stringStart, i, BATCH, 0, BATCH.length);
                    }
                } else if (i - stringStart >= limits.maxStringLength() && !stringIsExempt) {
                    throw Refusals.stringTooLong(limits.maxStringLength(), "bytes");
                }
                continue;
            }
            switch (b) {
                case '"' -> {
                    inToken = false;
                    inString = true;
                    stringStart = i + 1;
                    stringIsKey = expectKey && depth > 0 && !isArray[depth];
                    stringIsExempt = !stringIsKey && afterColon && valueKeyIs(DATA);
                    stringIsResourceType = !stringIsKey && afterColon && valueKeyIs(RESOURCE_TYPE);
                    stringIsType = !stringIsKey && afterColon && valueKeyIs(TYPE);
                    if (!stringIsKey) {
                        valueStarts();
                    }
                }
                case '{', '[' -> {
                    inToken = false;
                    boolean extensions =
                            b == '[' && afterColon && (valueKeyIs(EXTENSION) || valueKeyIs(MODIFIER_EXTENSION));
                    boolean resource = b == '{' && (depth == 0 || (afterColon && valueKeyIs(RESOURCE)));
                    boolean entryArray = b == '['
                            && afterColon
                            && resources > 0
                            && resourceDepth[resources] == depth
                            && valueKeyIs(ENTRY);
                    valueStarts();
                    if (++depth > limits.maxDepth()) {
                        throw Refusals.tooDeep("JSON", limits.maxDepth());
                    }
                    if (resource) {
                        resources++;
                        resourceDepth[resources] = depth;
                        resourceValues[resources] = 0;
                        isBundle[resources] = false;
                        isProcessedBundle[resources] = false;
                        entryArrayDepth[resources] = -1;
                        entries[resources] = 0;
                    }
                    if (entryArray) {
                        entryArrayDepth[resources] = depth;
                    }
                    isArray[depth] = b == '[';
                    isExtensionArray[depth] = extensions;
                    items[depth] = 0;
                    expectKey = b == '{';
                }
                case '}', ']' -> {
                    inToken = false;
                    if (resources > 0 && entryArrayDepth[resources] == depth) {
                        entries[resources] = items[depth];
                    }
                    if (resources > 0 && resourceDepth[resources] == depth) {
                        resourceEnds();
                    }
                    depth = Math.max(0, depth - 1);
                    expectKey = false;
                }
                case ':' -> {
                    inToken = false;
                    valueKeyStart = keyStart;
                    valueKeyEnd = keyEnd;
                    afterColon = true;
                    expectKey = false;
                }
                case ',' -> {
                    inToken = false;
                    expectKey = depth > 0 && !isArray[depth];
                }
                case ' ', '\t', '\r', '\n' -> inToken = false;
                default -> {
                    if (!inToken) {
                        inToken = true;
                        numberLength = 0;
                        exponentDigits = -1;
                        valueStarts();
                    }
                    // inside a literal: true, false, null or a number
                    if ((b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E') {
                        numberLength++;
                        if (b == 'e' || b == 'E') {
                            exponentDigits = 0;
                        } else if (exponentDigits >= 0 && b >= '0' && b <= '9') {
                            exponentDigits++;
                        }
                        if (numberLength > limits.maxNumberLength()
                                || exponentDigits > BodyLimits.MAX_EXPONENT_DIGITS) {
                            throw Refusals.numberTooLong(limits.maxNumberLength());
                        }
                    } else {
                        numberLength = 0;
                        exponentDigits = -1;
                    }
                }
            }
        }
        // a truncated body: judge what it holds, the parser will refuse it anyway
        while (resources > 0) {
            resourceEnds();
        }
    }

    /** A value (object, array or scalar) begins: count it in the body, its resource and the array that holds it. */
    private void valueStarts() throws BodyRefusedException {
        afterColon = false;
        if (++values > limits.maxValues()) {
            throw Refusals.tooManyValues("values", limits.maxValues());
        }
        if (resources > 0) {
            resourceValues[resources]++;
        }
        if (depth > 0 && isArray[depth]) {
            int count = ++items[depth];
            if (isExtensionArray[depth] && count > limits.maxExtensions()) {
                throw Refusals.tooManyExtensions(limits.maxExtensions());
            }
            if (count > limits.maxArrayLength()) {
                throw Refusals.arrayTooLong("an array with", limits.maxArrayLength());
            }
        }
    }

    /**
     * Judged when the resource is complete, as its resourceType may come last. A Bundle's own values (its entries'
     * fullUrl and request) are exempt: the entries' resources are counted one by one. A transaction or batch is
     * refused whole when it has more entries than the server processes in one request.
     */
    private void resourceEnds() throws BodyRefusedException {
        if (isBundle[resources]
                && isProcessedBundle[resources]
                && entries[resources] > limits.maxTransactionEntries()) {
            throw Refusals.tooManyTransactionEntries(entries[resources], limits.maxTransactionEntries());
        }
        if (!isBundle[resources] && resourceValues[resources] > limits.maxResourceValues()) {
            throw Refusals.tooManyResourceValues(limits.maxResourceValues());
        }
        resources--;
    }

    private boolean valueKeyIs(byte[] key) {
        return valueKeyStart >= 0 && Arrays.equals(json, valueKeyStart, valueKeyEnd, key, 0, key.length);
    }
}
