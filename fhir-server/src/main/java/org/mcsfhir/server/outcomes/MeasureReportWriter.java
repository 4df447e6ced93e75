package org.mcsfhir.server.outcomes;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupStratifierComponent;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;
import org.mcsfhir.server.guide.GuideCodes;

/**
 * Writes the audit's figures as standard MeasureReports (type summary), one per audit Measure, in a Bundle of type
 * collection. Every group carries its populations and score for the whole cohort and, per stratifier, per stratum;
 * confidence intervals and interquartile ranges travel in the guide's range extensions, and a group or stratum whose
 * denominator is below the small-cell threshold is flagged with {@code mcs-small-cell} (its counts stay).
 */
class MeasureReportWriter {

    private static final String IMPROVEMENT_SYSTEM =
            "http://terminology.hl7.org/CodeSystem/measure-improvement-notation";
    private static final List<String> STANDARD_POPULATIONS =
            List.of("initial-population", "numerator", "denominator", "measure-population");

    private final int smallCellThreshold;
    private final Clock clock;

    MeasureReportWriter(int smallCellThreshold, Clock clock) {
        this.smallCellThreshold = smallCellThreshold;
        this.clock = clock;
    }

    Bundle write(
            List<AuditCase> cases, LocalDate periodStart, LocalDate periodEnd, String centre, LocalDate referenceDate) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.setTimestamp(Date.from(clock.instant()));
        // each insertion's part in every group, worked out once; the cohort and each stratum are sums of them
        List<FigureTally.Contribution> contributions = new ArrayList<>(cases.size());
        for (AuditCase c : cases) {
            contributions.add(FigureTally.contribution(c));
        }
        List<List<AuditFigures.Cell>> all = FigureTally.figures(contributions);
        // stratifier → stratum → the stratum's cells (per Measure, per group), in report order
        Map<String, Map<String, List<List<AuditFigures.Cell>>>> strata = new LinkedHashMap<>();
        for (String stratifier : Stratification.STRATIFIERS.keySet()) {
            Map<String, List<FigureTally.Contribution>> members = new LinkedHashMap<>();
            for (String stratum : Stratification.strataOf(stratifier, cases)) {
                members.put(stratum, new ArrayList<>());
            }
            for (int i = 0; i < cases.size(); i++) {
                members.get(cases.get(i).strata().get(stratifier)).add(contributions.get(i));
            }
            Map<String, List<List<AuditFigures.Cell>>> cells = new LinkedHashMap<>();
            members.forEach((stratum, stratumMembers) -> cells.put(stratum, FigureTally.figures(stratumMembers)));
            strata.put(stratifier, cells);
        }
        for (int m = 0; m < AuditFigures.MEASURES.size(); m++) {
            bundle.addEntry()
                    .setResource(report(
                            AuditFigures.MEASURES.get(m),
                            m,
                            all,
                            strata,
                            periodStart,
                            periodEnd,
                            centre,
                            referenceDate));
        }
        return bundle;
    }

    private MeasureReport report(
            AuditFigures.AuditMeasure measure,
            int m,
            List<List<AuditFigures.Cell>> all,
            Map<String, Map<String, List<List<AuditFigures.Cell>>>> strata,
            LocalDate periodStart,
            LocalDate periodEnd,
            String centre,
            LocalDate referenceDate) {
        MeasureReport report = new MeasureReport();
        report.setId(measure.id());
        report.addExtension(GuideCodes.AUDIT_REFERENCE_DATE_EXTENSION, new DateType(referenceDate.toString()));
        report.setStatus(MeasureReport.MeasureReportStatus.COMPLETE);
        report.setType(MeasureReport.MeasureReportType.SUMMARY);
        report.setMeasure(GuideCodes.MEASURE_BASE + measure.id());
        report.setDate(Date.from(clock.instant()));
        report.getPeriod()
                .setStartElement(new DateTimeType(periodStart.toString()))
                .setEndElement(new DateTimeType(periodEnd.toString()));
        if (centre != null) {
            report.setReporter(new Reference(centre));
        }
        if (measure.improvementNotation() != null) {
            report.getImprovementNotation()
                    .addCoding()
                    .setSystem(IMPROVEMENT_SYSTEM)
                    .setCode(measure.improvementNotation());
        }
        for (int g = 0; g < measure.groups().size(); g++) {
            MeasureReportGroupComponent group = report.addGroup();
            group.setCode(auditCode(measure.groups().get(g).code()));
            AuditFigures.Cell cell = all.get(m).get(g);
            cell.populations()
                    .forEach((code, count) ->
                            group.addPopulation().setCode(populationCode(code)).setCount(count));
            if (!Double.isNaN(cell.score())) {
                group.setMeasureScore(score(cell.score(), measure.scoreUnit()));
            }
            decorate(group, cell, measure);
            int groupIndex = g;
            strata.forEach((stratifier, cells) -> {
                MeasureReportGroupStratifierComponent s = group.addStratifier();
                s.addCode(auditCode(stratifier));
                cells.forEach((stratum, stratumCells) -> {
                    AuditFigures.Cell c = stratumCells.get(m).get(groupIndex);
                    var st = s.addStratum().setValue(Stratification.valueOf(stratifier, stratum));
                    c.populations()
                            .forEach((code, count) -> st.addPopulation()
                                    .setCode(populationCode(code))
                                    .setCount(count));
                    if (!Double.isNaN(c.score())) {
                        st.setMeasureScore(score(c.score(), measure.scoreUnit()));
                    }
                    decorate(st, c, measure);
                });
            });
        }
        return report;
    }

    private void decorate(Element element, AuditFigures.Cell cell, AuditFigures.AuditMeasure measure) {
        if (measure.rangeExtension() != null && !Double.isNaN(cell.low()) && !Double.isNaN(cell.high())) {
            Range range = new Range()
                    .setLow(score(cell.low(), measure.scoreUnit()))
                    .setHigh(score(cell.high(), measure.scoreUnit()));
            element.addExtension(measure.rangeExtension(), range);
        }
        if (cell.denominator() < smallCellThreshold) {
            element.addExtension(GuideCodes.SMALL_CELL_EXTENSION, new BooleanType(true));
        }
    }

    private static Quantity score(double value, String unit) {
        Quantity q = new Quantity()
                .setValue(BigDecimal.valueOf(value)
                        .setScale(6, RoundingMode.HALF_UP)
                        .stripTrailingZeros());
        if (unit != null) {
            q.setSystem(GuideCodes.UCUM).setCode(unit).setUnit(unit);
        }
        return q;
    }

    private static CodeableConcept auditCode(String code) {
        CodeableConcept concept = new CodeableConcept();
        concept.addCoding().setSystem(GuideCodes.AUDIT_SYSTEM).setCode(code);
        return concept.setText(code);
    }

    private static CodeableConcept populationCode(String code) {
        if (STANDARD_POPULATIONS.contains(code)) {
            CodeableConcept concept = new CodeableConcept();
            concept.addCoding().setSystem(GuideCodes.MEASURE_POPULATION_SYSTEM).setCode(code);
            return concept;
        }
        CodeableConcept concept = new CodeableConcept(); // no text: thousands of strata repeat these codes
        concept.addCoding().setSystem(GuideCodes.AUDIT_SYSTEM).setCode(code);
        return concept;
    }
}
