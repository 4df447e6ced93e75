package org.mcsfhir.server.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mcsfhir.server.cases.CaseDates;

class RowDatesTest {

    @Test
    void readsTheCommonShapesDirectly() {
        assertThat(RowDates.utcDate("2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(RowDates.utcDate("2024-05-01T23:30:00Z")).isEqualTo(LocalDate.of(2024, 5, 1));
        assertThat(RowDates.instant("2024-05-01T09:30:05Z")).isEqualTo(Instant.parse("2024-05-01T09:30:05Z"));
    }

    @Test
    void agreesWithCaseDates_onEveryShape() {
        for (String value : List.of(
                "2024-01-01",
                "2024-12-31T23:59:59Z",
                "2024-01-01T00:00:00Z",
                "2024-05-01T23:30:00+02:00",
                "2024-05-01T01:30:00-05:00",
                "2024-05-01T09:30:00.123Z",
                "2024-05",
                "2024",
                "2024-05-01T09:30Z",
                "")) {
            assertThat(RowDates.utcDate(value)).as(value).isEqualTo(CaseDates.utcDate(value));
            assertThat(RowDates.instant(value)).as(value).isEqualTo(CaseDates.instant(value));
        }
        assertThat(RowDates.utcDate(null)).isNull();
        assertThat(RowDates.instant(null)).isNull();
    }

    @Test
    void leavesWhatIsNoCalendarDayToCaseDates() {
        assertThatThrownBy(() -> CaseDates.utcDate("2023-02-29")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> RowDates.utcDate("2023-02-29"))
                .isInstanceOf(RuntimeException.class)
                .hasMessageContaining("2023-02-29");
    }
}
