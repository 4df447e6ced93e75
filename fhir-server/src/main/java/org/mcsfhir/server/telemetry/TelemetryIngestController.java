package org.mcsfhir.server.telemetry;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.mcsfhir.server.security.CentreAccess;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The device gateway interface: {@code POST /telemetry/v1/devices/{deviceId}/samples} with NDJSON or a JSON array of
 * samples. Answers 200 with {@code {"accepted","duplicates","conflicts","windows"}} only after the samples are
 * committed; every client error is an OperationOutcome naming the line and the field, and nothing of a rejected
 * request is stored. Outside the FHIR servlet because the body is not FHIR; see docs/telemetry.md. With security on,
 * only a device gateway of the device's centre may post ({@link CentreAccess}; 403 otherwise).
 */
@RestController
class TelemetryIngestController {

    static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    private static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json;charset=UTF-8");

    private final TelemetryProperties properties;
    private final DeviceResolver devices;
    private final SampleStore store;
    private final IngestAdmission admission;
    private final FhirContext fhir;
    private final CentreAccess centreAccess;
    private final Clock clock;

    TelemetryIngestController(
            TelemetryProperties properties,
            DeviceResolver devices,
            SampleStore store,
            IngestAdmission admission,
            FhirContext fhir,
            CentreAccess centreAccess,
            Clock clock) {
        this.properties = properties;
        this.devices = devices;
        this.store = store;
        this.admission = admission;
        this.fhir = fhir;
        this.centreAccess = centreAccess;
        this.clock = clock;
    }

    @PostMapping(path = "/telemetry/v1/devices/{deviceId}/samples", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> ingest(@PathVariable String deviceId, HttpServletRequest request)
            throws IOException, InterruptedException {
        // before anything else, so a refused caller learns nothing (not even whether the device exists)
        if (!centreAccess.mayWriteTelemetryFor(request, deviceId)) {
            throw new TelemetryException(
                    403,
                    "forbidden",
                    "MCS-0403: access denied: this client may not write " + "telemetry for this device",
                    null);
        }
        boolean array = isJsonArrayBody(request.getContentType());
        IngestAdmission.Turn turn = admission.tryEnter();
        if (turn == null) {
            long seconds = Math.max(1, properties.retryAfter().toSeconds());
            TelemetryException busy = new TelemetryException(
                    429,
                    "throttled",
                    "MCS-0711: the telemetry gateway is at "
                            + "capacity (" + properties.maxConcurrentRequests() + " requests running, "
                            + properties.maxWaitingRequests() + " waiting); retry after " + seconds + " s",
                    null);
            return ResponseEntity.status(busy.status)
                    .contentType(FHIR_JSON)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                    .body(encode(busy));
        }
        try (turn) {
            DeviceResolver.DeviceLink link = devices.resolve(deviceId);
            SampleParser parser = new SampleParser(
                    properties.periodMs(),
                    clock.instant(),
                    properties.futureTolerance().toMillis(),
                    properties.maxValuesPerRequest());
            List<Sample> samples = parser.parse(request.getInputStream(), array);
            IngestResult result = store.store(link.deviceId(), samples, properties.windowMs());
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(result);
        }
    }

    private static boolean isJsonArrayBody(String contentType) {
        if (contentType != null) {
            MediaType type;
            try {
                type = MediaType.parseMediaType(contentType);
            } catch (IllegalArgumentException e) {
                type = null;
            }
            if (type != null && NDJSON.equalsTypeAndSubtype(type)) {
                return false;
            }
            if (type != null && MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)) {
                return true;
            }
        }
        throw new TelemetryException(
                415,
                "not-supported",
                "MCS-0712: Content-Type must be application/x-ndjson or " + "application/json, got "
                        + (contentType == null ? "none" : contentType.toLowerCase(Locale.ROOT)),
                null);
    }

    @ExceptionHandler(TelemetryException.class)
    ResponseEntity<String> clientError(TelemetryException e) {
        return ResponseEntity.status(e.status).contentType(FHIR_JSON).body(encode(e));
    }

    private String encode(TelemetryException e) {
        return fhir.newJsonParser().encodeResourceToString(toOutcome(e));
    }

    static OperationOutcome toOutcome(TelemetryException e) {
        OperationOutcome outcome = new OperationOutcome();
        var issue = outcome.addIssue()
                .setSeverity(IssueSeverity.ERROR)
                .setCode(IssueType.fromCode(e.issueCode))
                .setDiagnostics(e.getMessage());
        if (e.expression != null) {
            issue.addExpression(e.expression);
        }
        return outcome;
    }
}
