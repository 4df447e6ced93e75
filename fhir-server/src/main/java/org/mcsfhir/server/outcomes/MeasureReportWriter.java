package org.mcsfhir.server.outcomes;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupStratifierComponent;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;

/**
 * Writes the audit's figures as standard MeasureReports (type summary), one per audit Measure, in a Bundle of type
 * collection. Every group carries its populations and score for the whole cohort and, per stratifier, per stratum;
 * confidence intervals and interquartile ranges travel in the guide's range extensions, and a group or stratum whose
 * denominator is below the small-cell threshold is flagged with {@code mcs-small-cell} (its counts stay).
 */
class MeasureReportWriter {

    private static final String IMPROVEMENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-improvement-notation";
    private static final List<String> STANDARD_POPULATIONS =
            List.of("initial-population", "numerator", "denominator", "measure-population");

    private final int smallCellThreshold;
    private final Clock clock;

    MeasureReportWriter(int smallCellThreshold, Clock clock) {
        this.smallCellThreshold = smallCellThreshold;
        this.clock = clock;
    }

    Bundle write(List<AuditCase> cases, LocalDate periodStart, LocalDate periodEnd, String centre,
            LocalDate referenceDate) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.setTimestamp(Date.from(clock.instant()));
        // partitions per stratifier are the same for every group: compute them once
        Map<String, Map<String, List<AuditCase>>> partitions = new java.util.LinkedHashMap<>();
        for (String stratifier : Stratification.STRATIFIERS.keySet()) {
            Map<String, List<AuditCase>> byStratum = new java.util.LinkedHashMap<>();
            for (String stratum : Stratification.strataOf(stratifier, cases)) {
                byStratum.put(stratum, new ArrayList<>());
            }
            for (AuditCase c : cases) {
                byStratum.get(c.strata().get(stratifier)).add(c);
            }
            partitions.put(stratifier, byStratum);
        }
        for (AuditFigures.AuditMeasure measure : AuditFigures.MEASURES) {
            MeasureReport report = new MeasureReport();
            report.setId(measure.id());
            report.addExtension(OutcomeCodes.REFERENCE_DATE_EXTENSION, new DateType(referenceDate.toString()));
            report.setStatus(MeasureReport.MeasureReportStatus.COMPLETE);
            report.setType(MeasureReport.MeasureReportType.SUMMARY);
            report.setMeasure(OutcomeCodes.MEASURE_BASE + measure.id());
            report.setDate(Date.from(clock.instant()));
            report.getPeriod().setStartElement(new org.hl7.fhir.r4.model.DateTimeType(periodStart.toString()))
                    .setEndElement(new org.hl7.fhir.r4.model.DateTimeType(periodEnd.toString()));
            if (centre != null) {
                report.setReporter(new Reference(centre));
            }
            if (measure.improvementNotation() != null) {
                report.getImprovementNotation().addCoding().setSystem(IMPROVEMENT_SYSTEM)
                        .setCode(measure.improvementNotation());
            }
            for (AuditFigures.Group group : measure.groups()) {
                MeasureReportGroupComponent g = report.addGroup();
                g.setCode(auditCode(group.code()));
                AuditFigures.Cell all = group.figure().apply(cases);
                all.populations().forEach((code, count) -> g.addPopulation().setCode(populationCode(code)).setCount(count));
                if (!Double.isNaN(all.score())) {
                    g.setMeasureScore(score(all.score(), measure.scoreUnit()));
                }
                decorate(g, all, measure);
                partitions.forEach((stratifier, strata) -> {
                    MeasureReportGroupStratifierComponent s = g.addStratifier();
                    s.addCode(auditCode(stratifier));
                    strata.forEach((stratum, members) -> {
                        AuditFigures.Cell cell = group.figure().apply(members);
                        var st = s.addStratum().setValue(Stratification.valueOf(stratifier, stratum));
                        cell.populations().forEach((code, count) ->
                                st.addPopulation().setCode(populationCode(code)).setCount(count));
                        if (!Double.isNaN(cell.score())) {
                            st.setMeasureScore(score(cell.score(), measure.scoreUnit()));
                        }
                        decorate(st, cell, measure);
                    });
                });
            }
            bundle.addEntry().setResource(report);
        }
        return bundle;
    }

    private void decorate(Element element, AuditFigures.Cell cell, AuditFigures.AuditMeasure measure) {
        if (measure.rangeExtension() != null && !Double.isNaN(cell.low()) && !Double.isNaN(cell.high())) {
            Range range = new Range()
                    .setLow(score(cell.low(), measure.scoreUnit()))
                    .setHigh(score(cell.high(), measure.scoreUnit()));
            element.addExtension(measure.rangeExtension(), range);
        }
        if (cell.denominator() < smallCellThreshold) {
            element.addExtension(OutcomeCodes.SMALL_CELL_EXTENSION, new BooleanType(true));
        }
    }

    private static Quantity score(double value, String unit) {
        Quantity q = new Quantity().setValue(BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros());
        if (unit != null) {
            q.setSystem("http://unitsofmeasure.org").setCode(unit).setUnit(unit);
        }
        return q;
    }

    private static CodeableConcept auditCode(String code) {
        CodeableConcept concept = new CodeableConcept();
        concept.addCoding().setSystem(OutcomeCodes.AUDIT_SYSTEM).setCode(code);
        return concept.setText(code);
    }

    private static CodeableConcept populationCode(String code) {
        if (STANDARD_POPULATIONS.contains(code)) {
            CodeableConcept concept = new CodeableConcept();
            concept.addCoding().setSystem(OutcomeCodes.MEASURE_POPULATION_SYSTEM).setCode(code);
            return concept;
        }
        CodeableConcept concept = new CodeableConcept(); // no text: thousands of strata repeat these codes
        concept.addCoding().setSystem(OutcomeCodes.AUDIT_SYSTEM).setCode(code);
        return concept;
    }
}
