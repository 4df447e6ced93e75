package org.mcsfhir.server.errors;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Replaces Spring Boot's {@code /error} (a JSON body of its own shape) for everything that fails outside HAPI: Spring
 * MVC (the telemetry gateway), servlet filters and exceptions that reach the container. Client errors keep their
 * status with the generic MCS code; anything else is a server fault with a reference.
 */
@Controller
class OperationOutcomeErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer given ? given : 404; // /error asked for directly
        Throwable fault = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (status < 400) {
            status = 500;
        }
        response.resetBuffer();
        if (status >= 500) {
            if (fault == null) {
                fault = new IllegalStateException("status " + status + " without an exception");
            }
            ServerFaults.Answer answer = ServerFaults.report(request, response, null, fault);
            // a status other than 500 that Spring or a filter set on purpose (501, 503) is kept
            int answered = answer.status() == 503 ? 503 : status;
            OperationOutcomes.write(request, response, answered, answer.issueType(), answer.diagnostics());
            return;
        }
        // Spring's messages are kept when clean (e.g. "Method 'DELETE' is not supported."), but not for 404, whose
        // message speaks of static resources
        Object message = status == 404 ? null : request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        OperationOutcomes.write(
                request,
                response,
                status,
                issueType(status),
                ErrorCodes.clean(status, message == null ? null : message.toString()));
    }

    static String issueType(int status) {
        return switch (status) {
            case 401 -> "login";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405, 406, 415 -> "not-supported";
            case 409 -> "conflict";
            case 413, 414, 431 -> "too-costly";
            case 429 -> "throttled";
            default -> "invalid";
        };
    }
}
