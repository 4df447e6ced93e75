package org.mcsfhir.server.telemetry.mllp;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v26.datatype.ST;
import ca.uhn.hl7v2.model.v26.segment.OBX;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.GenericParser;
import ca.uhn.hl7v2.parser.PipeParser;

/**
 * HAPI's parser for the listener, except that the first repetition of OBX-5 stays the text it was sent as (one
 * {@link ST}, escapes untouched) for {@link Pcd01Reader} to split. HAPI would build one object per element of an NA
 * array and then copy them all again to give OBX-5 the type OBX-2 names (quadratic in the array length); for a
 * 500-element array that was most of the time an MLLP message spent in the server. Every other field, and XML, is
 * parsed by HAPI as before.
 */
final class Obx5TextParser extends GenericParser {

    private final PipeParser pipe;

    Obx5TextParser(HapiContext context) {
        super(context);
        this.pipe = new Pipe(context);
    }

    @Override
    public Message parse(String message) throws HL7Exception {
        return "VB".equals(getEncoding(message)) ? pipe.parse(message) : super.parse(message);
    }

    /** The pipe parser that leaves OBX-5 as text. */
    private static final class Pipe extends PipeParser {

        Pipe(HapiContext context) {
            super(context);
        }

        @Override
        public void parse(Segment destination, String segment, EncodingCharacters encoding, int repetition)
                throws HL7Exception {
            if (!(destination instanceof OBX)) {
                super.parse(destination, segment, encoding, repetition);
                return;
            }
            char separator = encoding.getFieldSeparator();
            int start = afterNth(segment, separator, 5);
            if (start < 0) {
                super.parse(destination, segment, encoding, repetition);
                return;
            }
            int end = segment.indexOf(separator, start);
            end = end < 0 ? segment.length() : end;
            String field = segment.substring(start, end);
            // HAPI types an empty OBX-5 from OBX-2 without copying anything
            super.parse(destination, segment.substring(0, start) + segment.substring(end), encoding, repetition);
            int another = field.indexOf(encoding.getRepetitionSeparator());
            String first = another < 0 ? field : field.substring(0, another);
            if (!first.isEmpty()) {
                ST text = new ST(destination.getMessage());
                text.setValue(first);
                ((Varies) destination.getField(5, 0)).setData(text);
            }
        }

        private static int afterNth(String text, char separator, int n) {
            int at = -1;
            for (int i = 0; i < n; i++) {
                at = text.indexOf(separator, at + 1);
                if (at < 0) {
                    return -1;
                }
            }
            return at + 1;
        }
    }
}
