package org.mcsfhir.server.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class GuideContentGuardTest {

    private final GuideContentGuard guard = new GuideContentGuard();
    private final CodeSystem guideCodeSystem = new CodeSystem().setUrl(GuideCodes.SUPPORT_END_SYSTEM);
    private final CodeSystem localCodeSystem = new CodeSystem().setUrl("https://hospital.example/CodeSystem/x");

    @Test
    void theApiCannotCreateChangeOrDeleteGuideContent() {
        ServletRequestDetails api = new ServletRequestDetails();
        assertThatThrownBy(() -> guard.beforeCreate(guideCodeSystem, api))
                .isInstanceOf(UnprocessableEntityException.class)
                .hasMessageStartingWith("MCS-0470");
        assertThatThrownBy(() -> guard.beforeUpdate(guideCodeSystem, localCodeSystem, api))
                .hasMessageContaining("MCS-0470");
        assertThatThrownBy(() -> guard.beforeUpdate(localCodeSystem, guideCodeSystem, api))
                .hasMessageContaining("MCS-0470");
        assertThatThrownBy(() -> guard.beforeDelete(guideCodeSystem, api)).hasMessageContaining("MCS-0470");
    }

    @Test
    void theInstallerAndOtherContentAreLeftAlone() {
        assertThatCode(() -> guard.beforeUpdate(guideCodeSystem, guideCodeSystem, new SystemRequestDetails()))
                .doesNotThrowAnyException();
        ServletRequestDetails api = new ServletRequestDetails();
        assertThatCode(() -> guard.beforeCreate(localCodeSystem, api)).doesNotThrowAnyException();
        assertThat(GuideContentGuard.isGuideContent(new Patient())).isFalse();
    }
}
