package org.mcsfhir.server.telemetry.mllp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.model.v26.datatype.ST;
import ca.uhn.hl7v2.model.v26.message.ORU_R01;
import ca.uhn.hl7v2.model.v26.segment.OBX;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Obx5TextParserTest {

    private static final String MESSAGE = String.join(
            "\r",
            "MSH|^~\\&|PUMP-GATEWAY|CENTRE1-ICU|MCS-FHIR|MCS|20260311090105+0100||ORU^R01^ORU_R01|C-1|P|2.6|||NE|AL",
            "PID|||CENTRE1-PAT-0001^^^CENTRE1^MR",
            "OBR|1|C-1^PUMP-GATEWAY|C-1^PUMP-GATEWAY|182777000^monitoring of patient^SCT|||20260311090000+0100",
            "OBX|1|NA|pump-flow^Pump flow^MCS|1.0.0.1|3.3^^3.31^3.32~9^9|L/min^L/min^UCUM|||||R|||20260311090000+0100"
                    + "||||CP-000123",
            "OBX|2|NM|67981^MDC_ATTR_TIME_PD_SAMP^MDC|1.0.0.1.1|1000|ms^ms^UCUM|||||R",
            "OBX|3|ST|note^Note^MCS|1.0.0.2|a \\T\\ b|||||R",
            "OBX|4|NM|motor-current^Motor current^MCS|1.0.0.3",
            "");

    private static HapiContext context() {
        HapiContext context = new DefaultHapiContext();
        context.setModelClassFactory(new CanonicalModelClassFactory("2.6"));
        context.setValidationContext(ValidationContextFactory.noValidation());
        // as the listener: HAPI's default generator would write an id_file into the working directory
        context.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        return context;
    }

    @Test
    void obx5IsTheFirstRepetitionAsSent_everyOtherSegmentAsHapiParsesIt() throws Exception {
        ORU_R01 hapi = (ORU_R01) context().getPipeParser().parse(MESSAGE);
        ORU_R01 ours = (ORU_R01) new Obx5TextParser(context()).parse(MESSAGE);

        List<OBX> hapiObx = observations(hapi);
        List<OBX> ourObx = observations(ours);
        assertThat(ourObx).hasSameSizeAs(hapiObx).hasSize(4);
        assertThat(text(ourObx.get(0))).isEqualTo("3.3^^3.31^3.32");
        assertThat(text(ourObx.get(1))).isEqualTo("1000");
        assertThat(text(ourObx.get(2))).isEqualTo("a \\T\\ b");
        assertThat(ourObx.get(3).getObx5_ObservationValueReps()).isZero();
        for (int i = 0; i < hapiObx.size(); i++) {
            for (int field : new int[] {1, 2, 3, 4, 6, 11, 14, 18}) {
                assertThat(ourObx.get(i).getField(field))
                        .hasSameSizeAs(hapiObx.get(i).getField(field));
                for (int rep = 0; rep < hapiObx.get(i).getField(field).length; rep++) {
                    assertThat(ourObx.get(i).getField(field, rep).encode())
                            .isEqualTo(hapiObx.get(i).getField(field, rep).encode());
                }
            }
        }
        for (String name : new String[] {"MSH", "PATIENT_RESULT/PATIENT/PID", "PATIENT_RESULT/ORDER_OBSERVATION/OBR"}) {
            assertThat(encoded(ours, name)).isEqualTo(encoded(hapi, name));
        }
        // the message is still HAPI's ORU^R01 and answers with HAPI's ACK
        assertThat(ours.generateACK().encode()).contains("MSA|AA|C-1");
    }

    @Test
    void anObx2HapiDoesNotKnow_reachesTheReader_whichAnswersItWithMcs0735() throws Exception {
        String bad = MESSAGE.replace("OBX|1|NA|", "OBX|1|XX|");
        assertThatThrownBy(() -> context().getPipeParser().parse(bad)).isInstanceOf(HL7Exception.class);

        OBX obx =
                observations((ORU_R01) new Obx5TextParser(context()).parse(bad)).get(0);
        assertThat(obx.getObx2_ValueType().getValue()).isEqualTo("XX");
        assertThat(text(obx)).isEqualTo("3.3^^3.31^3.32");
    }

    private static List<OBX> observations(ORU_R01 message) throws HL7Exception {
        List<OBX> all = new ArrayList<>();
        for (var observation :
                message.getPATIENT_RESULT().getORDER_OBSERVATION().getOBSERVATIONAll()) {
            all.add(observation.getOBX());
        }
        return all;
    }

    private static String text(OBX obx) throws HL7Exception {
        return ((ST) obx.getObx5_ObservationValue(0).getData()).getValue();
    }

    private static String encoded(Message message, String path) throws HL7Exception {
        Structure structure = message;
        for (String part : path.split("/")) {
            structure = ((Group) structure).get(part);
        }
        return ((Segment) structure).encode();
    }
}
