package org.mcsfhir.server.telemetry.mllp;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

/** What an HL7 v2 sender is told when storing its message fails for a reason that is not the message's. */
class Pcd01FaultAckTest {

    private static final String MESSAGE = String.join(
            "\r",
            "MSH|^~\\&|PUMP-GATEWAY|CENTRE1-ICU|MCS-FHIR|MCS|20260311090105+0100||ORU^R01^ORU_R01|C-1|P|2.6|||NE|AL",
            "PID|||CENTRE1-PAT-0001^^^CENTRE1^MR",
            "OBR|1|C-1^PUMP-GATEWAY|C-1^PUMP-GATEWAY|182777000^monitoring of patient^SCT",
            "");

    private static Message message() throws Exception {
        HapiContext context = new DefaultHapiContext();
        context.setModelClassFactory(new CanonicalModelClassFactory("2.6"));
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        return context.getPipeParser().parse(MESSAGE);
    }

    @Test
    void theDatabaseUnavailable_isARSendAgain() throws Exception {
        Terser ack = new Terser(Pcd01Application.faultAck(
                message(),
                new CannotCreateTransactionException(
                        "Could not open JPA EntityManager for transaction",
                        new SQLTransientConnectionException("Connection is not available"))));
        assertThat(ack.get("/MSA-1")).isEqualTo("AR");
        assertThat(ack.get("/MSA-2")).isEqualTo("C-1");
        assertThat(ack.get("/ERR-8")).startsWith("MCS-0745: the database is unavailable; send again later");
    }

    @Test
    void anyOtherFault_isAEWithAReference_andShowsNoInternals() throws Exception {
        Terser ack = new Terser(Pcd01Application.faultAck(
                message(), new IllegalStateException("ERROR: relation mcs_tel_sample does not exist at SELECT ...")));
        assertThat(ack.get("/MSA-1")).isEqualTo("AE");
        assertThat(ack.get("/ERR-3-1")).isEqualTo("207");
        assertThat(ack.get("/ERR-8"))
                .matches("MCS-0746: internal error; reference [0-9a-f-]{36}( at MSH.*)?")
                .doesNotContain("relation", "SELECT");
    }
}
