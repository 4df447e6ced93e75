package org.mcsfhir.server.telemetry.mllp;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v26.datatype.ST;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_PATIENT_RESULT;
import ca.uhn.hl7v2.model.v26.message.ORU_R01;
import ca.uhn.hl7v2.model.v26.segment.OBX;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mcsfhir.server.telemetry.TelemetryIntake;

/**
 * Reads the numeric observations of an IHE PCD-01 ORU^R01 (v2.6) into channel values per device: OBX-18 the pump,
 * OBX-3 the channel ({@link ChannelMap}), OBX-6 the unit ({@link UnitConversions}), OBX-14 (else OBR-7) the time with
 * its offset, OBX-5 one value (NM) or an array (NA) spaced by the sample period (an OBX
 * {@code MDC_ATTR_TIME_PD_SAMP} right after it, else the server's sample period). OBX rows without a value (the
 * device hierarchy: MDS, VMD, channel) only pass their OBX-18 on. Every problem is an {@link HL7Exception} naming
 * the segment and field, with an HL7 error code (table 0357) and a stable MCS code.
 */
final class Pcd01Reader {

    static final String PERIOD_NAME = "MDC_ATTR_TIME_PD_SAMP";
    static final String PERIOD_CODE = "67981";
    private static final Pattern DTM =
            Pattern.compile("(\\d{4})(\\d{2})(\\d{2})(\\d{2})(\\d{2})(\\d{2})?(?:\\.(\\d{1,4}))?([+-]\\d{4})");

    /** HL7 NM: optional sign, digits, optional decimal point; no exponent, no NaN or Infinity. */
    private static final Pattern NM = Pattern.compile("[+-]?(\\d{1,20}(\\.\\d{0,20})?|\\.\\d{1,20})");

    private final ChannelMap channels;
    private final TelemetryIntake intake;
    private final Instant now;

    Pcd01Reader(ChannelMap channels, TelemetryIntake intake, Instant now) {
        this.channels = channels;
        this.intake = intake;
        this.now = now;
    }

    /** One OBX's values before the sample period is known. */
    private static final class Series {
        final int obx;
        final String device;
        final String channel;
        final long startMs;
        final List<Double> values;
        long periodMs;

        Series(int obx, String device, String channel, long startMs, List<Double> values, long periodMs) {
            this.obx = obx;
            this.device = device;
            this.channel = channel;
            this.startMs = startMs;
            this.values = values;
            this.periodMs = periodMs;
        }
    }

    /** A value read, with the OBX it came from (1-based over the message) for the error of a refused device. */
    record Reading(String device, int obx, TelemetryIntake.Value value) {}

    List<Reading> read(ORU_R01 message) throws HL7Exception {
        char componentSeparator =
                message.getMSH().getMsh2_EncodingCharacters().getValue().charAt(0);
        List<Series> all = new ArrayList<>();
        int obxNumber = 0;
        for (ORU_R01_PATIENT_RESULT result : message.getPATIENT_RESULTAll()) {
            for (ORU_R01_ORDER_OBSERVATION order : result.getORDER_OBSERVATIONAll()) {
                String orderTime = order.getOBR().getObr7_ObservationDateTime().getValue();
                String device = null;
                Series last = null;
                for (ORU_R01_OBSERVATION observation : order.getOBSERVATIONAll()) {
                    OBX obx = observation.getOBX();
                    obxNumber++;
                    String equipment = obx.getObx18_EquipmentInstanceIdentifierReps() > 0
                            ? obx.getObx18_EquipmentInstanceIdentifier(0)
                                    .getEi1_EntityIdentifier()
                                    .getValue()
                            : null;
                    if (equipment != null && !equipment.isBlank()) {
                        device = equipment.trim();
                    }
                    String raw = observationText(obx);
                    if (raw.isBlank()) {
                        continue;
                    }
                    String code = value(obx.getObx3_ObservationIdentifier()
                            .getCwe1_Identifier()
                            .getValue());
                    String name = value(
                            obx.getObx3_ObservationIdentifier().getCwe2_Text().getValue());
                    if (PERIOD_CODE.equals(code) || PERIOD_NAME.equals(code) || PERIOD_NAME.equals(name)) {
                        setPeriod(last, obx, obxNumber, raw);
                        last = null;
                        continue;
                    }
                    last = series(obx, obxNumber, device, orderTime, raw, componentSeparator);
                    all.add(last);
                }
            }
        }
        return expand(all);
    }

    /**
     * OBX-5 as sent: {@link Obx5TextParser} keeps it as one text; a message parsed by HAPI's own parser has it typed
     * and is encoded back.
     */
    private static String observationText(OBX obx) throws HL7Exception {
        if (obx.getObx5_ObservationValueReps() == 0) {
            return "";
        }
        Varies value = obx.getObx5_ObservationValue(0);
        if (value.getData() instanceof ST text) {
            return text.getValue() == null ? "" : text.getValue();
        }
        return value.encode();
    }

    private Series series(OBX obx, int n, String device, String orderTime, String raw, char separator)
            throws HL7Exception {
        String system = value(
                obx.getObx3_ObservationIdentifier().getCwe3_NameOfCodingSystem().getValue());
        String code =
                value(obx.getObx3_ObservationIdentifier().getCwe1_Identifier().getValue());
        String channel = channels.channel(code, system)
                .orElseThrow(() -> problem(
                        "MCS-0733",
                        n,
                        3,
                        ErrorCode.TABLE_VALUE_NOT_FOUND,
                        "OBX-3 \"" + code + "^^" + system + "\" is not a channel of "
                                + "mcs-telemetry-channel-cs (coding system MCS) nor an MDC code mapped to one"));
        String type = value(obx.getObx2_ValueType().getValue());
        if (!type.equals("NM") && !type.equals("NA")) {
            throw problem(
                    "MCS-0735",
                    n,
                    2,
                    ErrorCode.DATA_TYPE_ERROR,
                    "OBX-2 must be NM (one value) or NA (an array), got \"" + type + "\"");
        }
        String unit = value(obx.getObx6_Units().getCwe1_Identifier().getValue());
        if (unit.isEmpty()) {
            throw problem("MCS-0734", n, 6, ErrorCode.REQUIRED_FIELD_MISSING, "OBX-6 (units) is missing");
        }
        String channelUnit = TelemetryIntake.unitOf(channel).orElseThrow();
        OptionalDouble factor = UnitConversions.factor(unit, channelUnit);
        if (factor.isEmpty()) {
            throw problem(
                    "MCS-0734",
                    n,
                    6,
                    ErrorCode.TABLE_VALUE_NOT_FOUND,
                    "OBX-6 unit \"" + unit + "\" is neither " + channel + "'s UCUM unit \"" + channelUnit
                            + "\" nor a known equivalent");
        }
        if (device == null) {
            throw problem(
                    "MCS-0731",
                    n,
                    18,
                    ErrorCode.REQUIRED_FIELD_MISSING,
                    "OBX-18 (equipment instance identifier of the pump) is missing");
        }
        String time = value(obx.getObx14_DateTimeOfTheObservation().getValue());
        int timeField = 14;
        if (time.isEmpty()) {
            time = value(orderTime);
        }
        if (time.isEmpty()) {
            throw problem(
                    "MCS-0736",
                    n,
                    timeField,
                    ErrorCode.REQUIRED_FIELD_MISSING,
                    "OBX-14 (and OBR-7) missing: the sample time is required");
        }
        long startMs = instant(time, n, timeField);
        String[] parts = type.equals("NM") ? new String[] {raw} : raw.split(Pattern.quote(String.valueOf(separator)));
        List<Double> values = new ArrayList<>(parts.length);
        for (String part : parts) {
            if (part.isBlank()) {
                values.add(null); // a gap in an array
                continue;
            }
            if (!NM.matcher(part.trim()).matches()) {
                throw problem(
                        "MCS-0735",
                        n,
                        5,
                        ErrorCode.DATA_TYPE_ERROR,
                        "OBX-5 \"" + abbreviate(part) + "\" is not an HL7 number (NM)");
            }
            double number = Double.parseDouble(part.trim());
            if (factor.getAsDouble() != 1.0) {
                number = converted(number, factor.getAsDouble());
            }
            String wrong = TelemetryIntake.checkValue(channel, number);
            if (wrong != null) {
                throw problem("MCS-0735", n, 5, ErrorCode.DATA_TYPE_ERROR, "OBX-5 " + channel + ": " + wrong);
            }
            values.add(number);
        }
        return new Series(n, device, channel, startMs, values, intake.samplePeriodMs());
    }

    private void setPeriod(Series last, OBX obx, int n, String raw) throws HL7Exception {
        if (last == null || last.values.size() < 2) {
            throw problem(
                    "MCS-0736",
                    n,
                    3,
                    ErrorCode.SEGMENT_SEQUENCE_ERROR,
                    PERIOD_NAME + " must directly follow the NA observation it describes");
        }
        String unit = value(obx.getObx6_Units().getCwe1_Identifier().getValue());
        double factor = switch (unit) {
            case "ms" -> 1;
            case "s" -> 1000;
            default ->
                throw problem(
                        "MCS-0736",
                        n,
                        6,
                        ErrorCode.TABLE_VALUE_NOT_FOUND,
                        PERIOD_NAME + " unit must be ms or s, got \"" + unit + "\"");
        };
        double ms;
        try {
            ms = Double.parseDouble(raw.trim()) * factor;
        } catch (NumberFormatException e) {
            throw problem("MCS-0736", n, 5, ErrorCode.DATA_TYPE_ERROR, PERIOD_NAME + " is not a number");
        }
        long grid = intake.samplePeriodMs();
        if (ms < grid || ms != Math.rint(ms) || (long) ms % grid != 0) {
            throw problem(
                    "MCS-0736",
                    n,
                    5,
                    ErrorCode.DATA_TYPE_ERROR,
                    PERIOD_NAME + " must be a whole multiple " + "of the server's sample period (" + grid + " ms), got "
                            + raw.trim());
        }
        last.periodMs = (long) ms;
    }

    private List<Reading> expand(List<Series> all) throws HL7Exception {
        List<Reading> readings = new ArrayList<>();
        for (Series s : all) {
            for (int i = 0; i < s.values.size(); i++) {
                if (s.values.get(i) == null) {
                    continue;
                }
                long t = s.startMs + i * s.periodMs;
                String wrong = intake.checkTime(t, now);
                if (wrong != null) {
                    throw problem(
                            "MCS-0736",
                            s.obx,
                            14,
                            ErrorCode.DATA_TYPE_ERROR,
                            "the sample time " + Instant.ofEpochMilli(t) + " " + wrong);
                }
                if (readings.size() >= intake.maxValuesPerMessage()) {
                    throw problem(
                            "MCS-0742",
                            s.obx,
                            5,
                            ErrorCode.APPLICATION_INTERNAL_ERROR,
                            "the message holds "
                                    + "more than " + intake.maxValuesPerMessage() + " values "
                                    + "(mcs.telemetry.max-values-per-request); split it");
                }
                readings.add(new Reading(s.device, s.obx, new TelemetryIntake.Value(s.channel, t, s.values.get(i))));
            }
        }
        if (readings.isEmpty()) {
            throw new HL7Exception(
                    "MCS-0735: the message holds no OBX with a numeric value", ErrorCode.REQUIRED_FIELD_MISSING);
        }
        return readings;
    }

    /** DTM with an explicit offset: YYYYMMDDHHMM[SS[.S[S[S[S]]]]]+/-ZZZZ. */
    private static long instant(String text, int n, int field) throws HL7Exception {
        Matcher m = DTM.matcher(text);
        if (!m.matches()) {
            throw problem(
                    "MCS-0736",
                    n,
                    field,
                    ErrorCode.DATA_TYPE_ERROR,
                    "OBX-" + field + " \"" + abbreviate(text)
                            + "\" is not a DTM with offset (YYYYMMDDHHMMSS[.SSSS]+/-ZZZZ)");
        }
        try {
            String fraction = m.group(7) == null ? "0" : (m.group(7) + "000").substring(0, 3);
            LocalDateTime local = LocalDateTime.of(
                    Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)),
                    m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
                    Integer.parseInt(fraction) * 1_000_000);
            String offset = m.group(8);
            ZoneOffset zone = ZoneOffset.ofHoursMinutes(
                    Integer.parseInt(offset.substring(0, 3)), Integer.parseInt(offset.charAt(0) + offset.substring(3)));
            return local.toInstant(zone).toEpochMilli();
        } catch (RuntimeException e) {
            throw problem(
                    "MCS-0736",
                    n,
                    field,
                    ErrorCode.DATA_TYPE_ERROR,
                    "OBX-" + field + " \"" + abbreviate(text) + "\" is not a valid date-time");
        }
    }

    /** A converted value keeps 6 decimals, not the binary noise of the factor; unconverted values stay as sent. */
    private static double converted(double value, double factor) {
        return Math.round(value * factor * 1e6) / 1e6;
    }

    static HL7Exception problem(String code, int obx, int field, ErrorCode error, String text) {
        HL7Exception e = new HL7Exception(code + ": OBX #" + obx + ": " + text, error);
        e.setSegmentName("OBX");
        e.setSegmentRepetition(obx);
        e.setFieldPosition(field);
        return e;
    }

    private static String value(String text) {
        return text == null ? "" : text.trim();
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
