package org.mcsfhir.server.telemetry.mllp;

import static org.mcsfhir.server.errors.DatabaseOutage.rootMessage;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v26.message.ORU_R01;
import ca.uhn.hl7v2.model.v26.segment.MSH;
import ca.uhn.hl7v2.protocol.MetadataKeys;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import ca.uhn.hl7v2.util.Terser;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.mcsfhir.server.errors.DatabaseOutage;
import org.mcsfhir.server.security.CentreDirectory;
import org.mcsfhir.server.security.ClientIdentity;
import org.mcsfhir.server.security.ClientKind;
import org.mcsfhir.server.security.GatewayAudit;
import org.mcsfhir.server.security.SmartScopes;
import org.mcsfhir.server.telemetry.TelemetryIntake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers each IHE PCD-01 ORU^R01 in original acknowledgement mode: AA only once its values are committed (through
 * {@link TelemetryIntake}, the NDJSON gateway's store); AE with an ERR naming segment and field for a bad message;
 * AR for another message type or version, an unknown sender, a pump that is unknown or of another centre, a full
 * gateway or an unavailable database. Nothing of a message that is not AA is stored (one device's values are one transaction, so only a
 * capacity refusal between devices can leave the first device stored: a re-send then counts it as duplicates).
 * Every accepted or refused write leaves an AuditEvent like the NDJSON gateway's.
 */
final class Pcd01Application implements ReceivingApplication<Message> {

    private static final Logger log = LoggerFactory.getLogger(Pcd01Application.class);
    static final String VERSION = "2.6";

    private final SenderDirectory senders;
    private final ChannelMap channels;
    private final TelemetryIntake intake;
    private final CentreDirectory centres;
    private final GatewayAudit audit;
    private final Clock clock;
    /** facility|application|MSH-10 of committed messages → the answer's text */
    private final Cache<String, String> acknowledged;
    /** deviceId|centre of pumps known to belong to the centre */
    private final Cache<String, Boolean> ownership;

    Pcd01Application(
            SenderDirectory senders,
            ChannelMap channels,
            TelemetryIntake intake,
            CentreDirectory centres,
            GatewayAudit audit,
            int rememberedControlIds,
            Duration ownershipTtl,
            Clock clock) {
        this.senders = senders;
        this.channels = channels;
        this.intake = intake;
        this.centres = centres;
        this.audit = audit;
        this.clock = clock;
        this.acknowledged =
                Caffeine.newBuilder().maximumSize(rememberedControlIds).build();
        this.ownership = Caffeine.newBuilder()
                .expireAfterWrite(ownershipTtl)
                .maximumSize(50_000)
                .build();
    }

    @Override
    public boolean canProcess(Message message) {
        return true;
    }

    @Override
    public Message processMessage(Message message, Map<String, Object> metadata) throws HL7Exception {
        try {
            try {
                return answer(message, address(metadata));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ack(
                        message,
                        AcknowledgmentCode.AR,
                        refusal(
                                "MCS-0741",
                                "the server is stopping; send " + "again",
                                ErrorCode.APPLICATION_INTERNAL_ERROR,
                                "MSH",
                                10));
            } catch (RuntimeException e) {
                return faultAck(message, e);
            }
        } catch (IOException e) {
            throw new HL7Exception("cannot build the acknowledgement", e);
        }
    }

    private Message answer(Message message, String address) throws HL7Exception, IOException, InterruptedException {
        Terser terser = new Terser(message);
        String facility = nullToEmpty(terser.get("/MSH-4-1"));
        String application = nullToEmpty(terser.get("/MSH-3-1"));
        String version = nullToEmpty(terser.get("/MSH-12-1"));
        if (!VERSION.equals(version)) {
            return ack(
                    message,
                    AcknowledgmentCode.AR,
                    refusal(
                            "MCS-0732",
                            "HL7 version \"" + version + "\" is not supported: IHE PCD-01 is HL7 v2.6",
                            ErrorCode.UNSUPPORTED_VERSION_ID,
                            "MSH",
                            12));
        }
        if (!(message instanceof ORU_R01 oru)) {
            return ack(
                    message,
                    AcknowledgmentCode.AR,
                    refusal(
                            "MCS-0732",
                            "message type \""
                                    + terser.get("/MSH-9-1") + "^" + terser.get("/MSH-9-2")
                                    + "\" is not supported: only ORU^R01 "
                                    + "(IHE PCD-01)",
                            ErrorCode.UNSUPPORTED_MESSAGE_TYPE,
                            "MSH",
                            9));
        }
        ClientIdentity sender = senderIdentity(facility, application);
        if (sender.centre().isEmpty()) {
            audit.record(sender, address, null, true, "HL7 v2 MLLP: unknown sender " + facility + "/" + application);
            return ack(
                    message,
                    AcknowledgmentCode.AR,
                    refusal(
                            "MCS-0730",
                            "sending facility \"" + facility + "\" (application \"" + application
                                    + "\") is not configured in mcs.telemetry.mllp.senders",
                            ErrorCode.UNKNOWN_KEY_IDENTIFIER,
                            "MSH",
                            4));
        }
        String centre = sender.centre().get();
        String controlId =
                nullToEmpty(((MSH) oru.getMSH()).getMsh10_MessageControlID().getValue());
        String key = facility + "|" + application + "|" + controlId;
        String earlier = controlId.isEmpty() ? null : acknowledged.getIfPresent(key);
        if (earlier != null) {
            return accepted(
                    message,
                    "MCS-0743: message " + controlId + " was already acknowledged (" + earlier
                            + "): nothing stored again");
        }
        List<Pcd01Reader.Reading> readings;
        try {
            readings = new Pcd01Reader(channels, intake, clock.instant()).read(oru);
        } catch (HL7Exception bad) {
            return ack(message, AcknowledgmentCode.AE, bad);
        }
        Map<String, String> deviceIds = new LinkedHashMap<>();
        Map<String, List<TelemetryIntake.Value>> byDevice = new LinkedHashMap<>();
        for (Pcd01Reader.Reading reading : readings) {
            if (!deviceIds.containsKey(reading.device())) {
                Optional<String> id = intake.findDevice(reading.device());
                if (id.isEmpty()) {
                    audit.record(sender, address, null, true, "HL7 v2 MLLP: unknown pump " + reading.device());
                    return ack(
                            message,
                            AcknowledgmentCode.AR,
                            Pcd01Reader.problem(
                                    "MCS-0731",
                                    reading.obx(),
                                    18,
                                    ErrorCode.UNKNOWN_KEY_IDENTIFIER,
                                    "no Device has the identifier or serial number \"" + reading.device() + "\""));
                }
                String unusable = belongsTo(id.get(), centre)
                        ? intake.unusable(id.get())
                        : "Device/" + id.get() + " does not belong to centre " + centre;
                if (unusable != null) {
                    audit.record(sender, address, id.get(), true, "HL7 v2 MLLP: refused for Device/" + id.get());
                    return ack(
                            message,
                            AcknowledgmentCode.AR,
                            Pcd01Reader.problem(
                                    "MCS-0731", reading.obx(), 18, ErrorCode.UNKNOWN_KEY_IDENTIFIER, unusable));
                }
                deviceIds.put(reading.device(), id.get());
            }
            byDevice.computeIfAbsent(deviceIds.get(reading.device()), d -> new ArrayList<>())
                    .add(reading.value());
        }
        int accepted = 0;
        int duplicates = 0;
        int conflicts = 0;
        for (Map.Entry<String, List<TelemetryIntake.Value>> device : byDevice.entrySet()) {
            Optional<TelemetryIntake.Stored> stored = intake.store(device.getKey(), device.getValue());
            if (stored.isEmpty()) {
                return ack(
                        message,
                        AcknowledgmentCode.AR,
                        refusal(
                                "MCS-0741",
                                "the telemetry gateway is at " + "capacity; send again later",
                                ErrorCode.APPLICATION_INTERNAL_ERROR,
                                "MSH",
                                10));
            }
            accepted += stored.get().accepted();
            duplicates += stored.get().duplicates();
            conflicts += stored.get().conflicts();
            audit.record(sender, address, device.getKey(), false, "HL7 v2 MLLP: message " + controlId + " stored");
        }
        String counts = "accepted " + accepted + ", duplicates " + duplicates + ", conflicts " + conflicts;
        if (!controlId.isEmpty()) {
            acknowledged.put(key, counts);
        }
        return accepted(message, counts);
    }

    /**
     * Only a positive answer is remembered (for {@code mcs.telemetry.device-cache-ttl}, like the device's patient
     * link): a pump newly given to the centre is accepted at once, one moved away is refused after at most the TTL.
     */
    private boolean belongsTo(String deviceId, String centre) {
        String key = deviceId + "|" + centre;
        if (ownership.getIfPresent(key) != null) {
            return true;
        }
        boolean belongs = centres.deviceBelongsTo(deviceId, centre);
        if (belongs) {
            ownership.put(key, Boolean.TRUE);
        }
        return belongs;
    }

    /** MLLP senders have no token: their identity is the configured facility, a device gateway of its centre. */
    private ClientIdentity senderIdentity(String facility, String application) {
        Optional<String> centre = senders.centreOf(facility, application);
        return new ClientIdentity(
                "hl7v2:" + facility + "/" + application,
                Optional.of(ClientKind.DEVICE_GATEWAY),
                centre,
                SmartScopes.none(),
                false,
                false);
    }

    /**
     * A failure that is not the message's: AR "send again" when the database is unavailable (nothing of the message
     * is committed, the sender keeps it); otherwise AE with a reference to the log entry, which has the stack trace.
     * Either way no exception text reaches the sender (HAPI would put its message into ERR).
     */
    static Message faultAck(Message message, RuntimeException e) throws HL7Exception, IOException {
        if (DatabaseOutage.causedBy(e)) {
            log.error("MCS-0745: HL7 v2 message refused, the database is unavailable: {}", rootMessage(e));
            return ack(
                    message,
                    AcknowledgmentCode.AR,
                    refusal(
                            "MCS-0745",
                            "the database is unavailable; send again later",
                            ErrorCode.APPLICATION_INTERNAL_ERROR,
                            "MSH",
                            10));
        }
        String reference = UUID.randomUUID().toString();
        log.error("MCS-0746 reference {}: HL7 v2 message {} failed", reference, safeControlId(message), e);
        return ack(
                message,
                AcknowledgmentCode.AE,
                refusal(
                        "MCS-0746",
                        "internal error; reference " + reference,
                        ErrorCode.APPLICATION_INTERNAL_ERROR,
                        "MSH",
                        10));
    }

    private static Message accepted(Message message, String text) throws HL7Exception, IOException {
        Message ack = message.generateACK();
        new Terser(ack).set("/MSA-3", text);
        return ack;
    }

    private static Message ack(Message message, AcknowledgmentCode code, HL7Exception problem)
            throws HL7Exception, IOException {
        log.info("HL7 v2 {} for {}: {}", code, safeControlId(message), problem.getMessage());
        Message ack = message.generateACK(code, problem);
        new Terser(ack).set("/ERR-8", problem.getMessage());
        return ack;
    }

    static HL7Exception refusal(String code, String text, ErrorCode error, String segment, int field) {
        HL7Exception e = new HL7Exception(code + ": " + text, error);
        e.setSegmentName(segment);
        e.setSegmentRepetition(1);
        e.setFieldPosition(field);
        return e;
    }

    private static String safeControlId(Message message) {
        try {
            return new Terser(message).get("/MSH-10");
        } catch (HL7Exception e) {
            return "?";
        }
    }

    private static String address(Map<String, Object> metadata) {
        Object ip = metadata.get(MetadataKeys.IN_SENDING_IP);
        return ip == null ? null : ip.toString();
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text.trim();
    }
}
