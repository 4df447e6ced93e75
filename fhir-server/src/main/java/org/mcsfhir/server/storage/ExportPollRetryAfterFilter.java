package org.mcsfhir.server.storage;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HAPI answers a Bulk Data status poll of a running export with {@code Retry-After: 120}, a figure from the days of
 * once-a-minute job steps; a client that honours it (as the Bulk Data spec asks) would wait two minutes for an export
 * that takes seconds here. The header of a status poll is replaced with this server's own pace.
 */
public class ExportPollRetryAfterFilter extends OncePerRequestFilter {

    static final String RETRY_AFTER = "Retry-After";
    /** Without the {@code $}: clients send it percent-encoded ({@code %24}) as often as not. */
    static final String POLL_STATUS = "export-poll-status";

    private final String seconds;

    public ExportPollRetryAfterFilter(long seconds) {
        this.seconds = Long.toString(Math.max(1, seconds));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().endsWith(POLL_STATUS);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void setHeader(String name, String value) {
                super.setHeader(name, RETRY_AFTER.equalsIgnoreCase(name) ? seconds : value);
            }

            @Override
            public void addHeader(String name, String value) {
                super.addHeader(name, RETRY_AFTER.equalsIgnoreCase(name) ? seconds : value);
            }
        });
    }
}
