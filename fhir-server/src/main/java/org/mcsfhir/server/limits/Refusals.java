package org.mcsfhir.server.limits;

/** The diagnostics of each refusal: a stable code first, then the limit and the setting that raises it. */
final class Refusals {

    private Refusals() {}

    static BodyRefusedException tooDeep(String format, int max) {
        return BodyRefusedException.structure(
                "MCS-0410: " + format + " body nested deeper than " + max + " levels (mcs.security.max-json-depth)");
    }

    static BodyRefusedException numberTooLong(int maxLength) {
        return BodyRefusedException.structure("MCS-0411: a JSON number longer than " + maxLength
                + " characters or with an exponent of more than " + BodyLimits.MAX_EXPONENT_DIGITS
                + " digits (mcs.limits.max-number-length; no FHIR decimal needs one; parsing it could take the server"
                + " minutes)");
    }

    static BodyRefusedException tooManyValues(String what, int max) {
        return BodyRefusedException.structure(
                "MCS-0480: request body holds more than " + max + " " + what + " (mcs.limits.max-values)");
    }

    static BodyRefusedException tooManyResourceValues(int max) {
        return BodyRefusedException.structure(
                "MCS-0480: a resource holds more than " + max + " values (mcs.limits.max-resource-values)");
    }

    static BodyRefusedException arrayTooLong(String what, int max) {
        return BodyRefusedException.structure(
                "MCS-0481: " + what + " more than " + max + " items (mcs.limits.max-array-length)");
    }

    static BodyRefusedException stringTooLong(int max, String unit) {
        return BodyRefusedException.structure("MCS-0482: a string longer than " + max + " " + unit
                + " (mcs.limits.max-string-length; base64 'data' is exempt)");
    }

    static BodyRefusedException tooManyExtensions(int max) {
        return BodyRefusedException.structure(
                "MCS-0483: an element with more than " + max + " extensions (mcs.limits.max-extensions)");
    }

    static BodyRefusedException tooManyTransactionEntries(int entries, int max) {
        return new BodyRefusedException(
                413,
                "too-costly",
                "MCS-0485: a transaction or batch Bundle of " + entries
                        + " entries; at most " + max
                        + " are processed in one request (mcs.limits.max-transaction-entries);"
                        + " split it into several Bundles");
    }

    static BodyRefusedException inflatedTooLarge(long max) {
        return new BodyRefusedException(
                413,
                "too-costly",
                "MCS-0413: request body exceeds the limit of " + max
                        + " bytes once decompressed (mcs.limits.max-decompressed-size)");
    }

    static BodyRefusedException tooManyLargeBodies(long largeBytes, int maxConcurrent) {
        return new BodyRefusedException(
                429,
                "throttled",
                "MCS-0429: the server is already processing "
                        + maxConcurrent + " bodies larger than " + largeBytes + " bytes "
                        + "(mcs.limits.max-concurrent-large-bodies, mcs.limits.large-body-size); retry after 1 s");
    }

    static BodyRefusedException unsupportedEncoding(String encoding) {
        return new BodyRefusedException(
                415,
                "not-supported",
                "MCS-0484: Content-Encoding '" + encoding
                        + "' is not supported (use gzip or send the body uncompressed)");
    }

    static BodyRefusedException corruptGzip(String reason) {
        return new BodyRefusedException(
                400, "invalid", "MCS-0484: the body is not valid gzip (Content-Encoding: gzip): " + reason);
    }
}
