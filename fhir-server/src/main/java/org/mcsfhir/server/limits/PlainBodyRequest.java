package org.mcsfhir.server.limits;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.mcsfhir.server.errors.ReplayedBodyRequest;

/**
 * A request whose body was decompressed here: the application reads the plain bytes and sees no
 * {@code Content-Encoding} (HAPI's RestfulServer would otherwise inflate them again, without a limit) and a
 * {@code Content-Length} that matches them.
 */
final class PlainBodyRequest extends HttpServletRequestWrapper {

    private final int length;

    PlainBodyRequest(HttpServletRequest request, byte[] plainBody) {
        super(new ReplayedBodyRequest(request, plainBody));
        this.length = plainBody.length;
    }

    @Override
    public String getHeader(String name) {
        if (isContentEncoding(name)) {
            return null;
        }
        return isContentLength(name) ? Integer.toString(length) : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        if (isContentEncoding(name)) {
            return Collections.emptyEnumeration();
        }
        return isContentLength(name)
                ? Collections.enumeration(List.of(Integer.toString(length)))
                : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        List<String> names = Collections.list(super.getHeaderNames());
        names.removeIf(PlainBodyRequest::isContentEncoding);
        names.removeIf(PlainBodyRequest::isContentLength);
        names.add("Content-Length");
        return Collections.enumeration(names);
    }

    @Override
    public int getIntHeader(String name) {
        return isContentLength(name) ? length : super.getIntHeader(name);
    }

    private static boolean isContentEncoding(String name) {
        return "Content-Encoding".equalsIgnoreCase(name);
    }

    private static boolean isContentLength(String name) {
        return "Content-Length".equalsIgnoreCase(name);
    }
}
