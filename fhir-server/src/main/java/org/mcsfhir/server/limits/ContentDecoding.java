package org.mcsfhir.server.limits;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Undoes a request's {@code Content-Encoding} (gzip; identity is nothing to undo) without ever inflating more than
 * the limit: a 300 MB gzip bomb is 290 KB on the wire, so its size can only be judged while inflating.
 */
final class ContentDecoding {

    private ContentDecoding() {}

    /** The codings named by the request's Content-Encoding headers, identity left out; empty = a plain body. */
    static List<String> codings(Iterable<String> headerValues) {
        List<String> codings = new ArrayList<>();
        for (String header : headerValues) {
            for (String coding : header.split(",")) {
                String name = coding.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !name.equals("identity")) {
                    codings.add(name);
                }
            }
        }
        return codings;
    }

    /** The body with its codings undone, refused with 415 for a coding other than one gzip, 413 beyond maxBytes. */
    static byte[] decode(byte[] body, List<String> codings, long maxBytes) throws BodyRefusedException {
        if (codings.isEmpty()) {
            return body;
        }
        if (codings.size() > 1
                || !(codings.get(0).equals("gzip") || codings.get(0).equals("x-gzip"))) {
            throw Refusals.unsupportedEncoding(String.join(", ", codings));
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return inflateAtMost(in, maxBytes);
        } catch (IOException e) {
            throw Refusals.corruptGzip(e.getMessage());
        }
    }

    private static byte[] inflateAtMost(InputStream in, long maxBytes) throws IOException, BodyRefusedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) != -1) {
            if (out.size() + (long) read > maxBytes) {
                throw Refusals.inflatedTooLarge(maxBytes);
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }
}
