// Complications by type and BARC bleeding type (short vs long term), how support ended, and quality of life (EQ-5D
// index and EQ VAS, median and IQR per follow-up point), all from the $audit MeasureReports.
import { audit } from '../data.js';
import { INTERQUARTILE_RANGE, codeOf, population, range, report, score, smallCell } from '../fhir.js';
import { chart, el, fixed, percent, swatches, table, uPlot } from '../plots.js';

const TERMS = ['short-term', 'long-term'];

function categoryAxis(labels) {
  return {
    splits: () => labels.map((_, i) => i),
    values: () => labels,
    rotate: labels.some((l) => l.length > 8) ? -35 : 0,
    size: labels.some((l) => l.length > 8) ? 110 : 40,
  };
}

function bars(content, title, labels, seriesList) {
  const xs = labels.map((_, i) => i);
  const width = seriesList.length > 1 ? 0.35 : 0.6;
  const series = [{ label: 'category' }, ...seriesList.map((s, i) => ({
    label: s.label,
    stroke: s.colour,
    fill: s.colour,
    width: 0,
    paths: uPlot.paths.bars({ size: [width, 40], align: seriesList.length > 1 ? (i === 0 ? -1 : 1) : 0 }),
    points: { show: false },
  }))];
  chart(content, {
    title,
    series,
    legend: { show: false },
    scales: {
      x: { time: false, range: [-0.6, labels.length - 0.4] },
      y: { range: (u, min, max) => [0, Math.max(0.05, max * 1.1)] },
    },
    axes: [categoryAxis(labels), { label: 'share of insertions' }],
  }, [xs, ...seriesList.map((s) => s.values)]);
  if (seriesList.length > 1) {
    content.append(swatches(seriesList.map((s) => s.label), 1));
  }
}

function proportionRow(g) {
  return g ? { numerator: population(g, 'numerator'), denominator: population(g, 'denominator'), score: score(g),
    smallCell: smallCell(g) } : {};
}

function shortLong(content, reportResource, stems, title, caption, id) {
  const byCode = new Map((reportResource.group || []).map((g) => [codeOf(g.code), g]));
  const rows = stems.map((stem) => {
    const s = proportionRow(byCode.get(stem.code + '-short-term'));
    const l = proportionRow(byCode.get(stem.code + '-long-term'));
    return { key: stem.code, label: stem.label, short: s.numerator, shortRate: s.score, long: l.numerator,
      longRate: l.score, denominator: s.denominator, smallCell: s.smallCell };
  });
  content.append(el('h2', {}, title));
  bars(content, title, rows.map((r) => r.label), [
    { label: 'short term (day 0–30)', colour: '#0072B2', values: rows.map((r) => r.shortRate ?? null) },
    { label: 'long term (after day 30)', colour: '#E69F00', values: rows.map((r) => r.longRate ?? null) },
  ]);
  content.append(table(caption, [
    { label: 'type', key: 'label' },
    { label: 'short term', key: 'short' },
    { label: 'short-term rate', key: 'shortRate', format: percent },
    { label: 'long term', key: 'long' },
    { label: 'long-term rate', key: 'longRate', format: percent },
    { label: 'insertions', key: 'denominator' },
  ], rows, { id }));
}

function complications(content, bundle) {
  const r = report(bundle, 'mcs-audit-complications');
  const types = [...new Set((r.group || []).map((g) => codeOf(g.code))
    .filter((c) => c.startsWith('complication-')).map((c) => c.replace(/-(short|long)-term$/, '')))];
  shortLong(content, r, types.map((code) => ({ code, label: code.slice('complication-'.length) })),
    'Complications by type', 'Insertions with at least one complication of the type', 'complications');
  const barc = [...new Set((r.group || []).map((g) => codeOf(g.code))
    .filter((c) => c.startsWith('bleeding-barc-')).map((c) => c.replace(/-(short|long)-term$/, '')))];
  shortLong(content, r, barc.map((code) => ({ code, label: 'BARC ' + code.slice('bleeding-barc-'.length) })),
    'Bleeding by BARC type', 'Insertions with bleeding of the BARC type', 'barc');
}

function supportEnd(content, bundle) {
  const r = report(bundle, 'mcs-audit-support-outcome');
  const rows = (r.group || []).map((g) => ({ key: codeOf(g.code), label: codeOf(g.code).slice('support-end-'.length),
    ...proportionRow(g) }));
  content.append(el('h2', {}, 'How support ended'));
  bars(content, 'How support ended', rows.map((x) => x.label),
    [{ label: 'share', colour: '#009E73', values: rows.map((x) => x.score ?? null) }]);
  content.append(table('How support ended', [
    { label: 'support ended by', key: 'label' },
    { label: 'insertions', key: 'numerator' },
    { label: 'share', key: 'score', format: percent },
    { label: 'of', key: 'denominator' },
  ], rows, { id: 'support-end' }));
}

function qualityOfLife(content, bundle) {
  const r = report(bundle, 'mcs-audit-quality-of-life');
  const byCode = new Map((r.group || []).map((g) => [codeOf(g.code), g]));
  const points = ['discharge', '30d', '180d', '1y'];
  content.append(el('h2', {}, 'Quality of life'));
  [['eq5d-index', 'EQ-5D-5L index', 3], ['eq-vas', 'EQ VAS', 0]].forEach(([measure, label, digits]) => {
    const rows = points.map((point) => {
      const g = byCode.get(measure + '-' + point);
      const iqr = g ? range(g, INTERQUARTILE_RANGE) : null;
      return { key: measure + '-' + point, point, n: g ? population(g, 'measure-population') : undefined,
        median: g ? score(g) : undefined, q1: iqr ? iqr[0] : undefined, q3: iqr ? iqr[1] : undefined,
        smallCell: g ? smallCell(g) : false };
    });
    const xs = points.map((_, i) => i);
    chart(content, {
      title: label + ': median with interquartile range',
      series: [{ label: 'follow-up' },
        { label: 'median', stroke: '#0072B2', width: 2, points: { show: true, size: 8 } },
        { label: 'Q3', stroke: 'rgba(0,114,178,.4)', width: 1 },
        { label: 'Q1', stroke: 'rgba(0,114,178,.4)', width: 1 }],
      bands: [{ series: [2, 3], fill: 'rgba(0,114,178,.15)' }],
      legend: { show: false },
      scales: { x: { time: false, range: [-0.3, 3.3] } },
      axes: [categoryAxis(points), { label }],
    }, [xs, rows.map((x) => x.median ?? null), rows.map((x) => x.q3 ?? null), rows.map((x) => x.q1 ?? null)]);
    content.append(table(label + ' per follow-up point (median, interquartile range)', [
      { label: 'follow-up point', key: 'point' },
      { label: 'scores', key: 'n' },
      { label: 'median', key: 'median', format: (v) => fixed(v, digits) },
      { label: 'Q1', key: 'q1', format: (v) => fixed(v, digits) },
      { label: 'Q3', key: 'q3', format: (v) => fixed(v, digits) },
    ], rows, { id: measure }));
  });
}

export async function renderOutcomes(content) {
  const bundle = await audit();
  complications(content, bundle);
  supportEnd(content, bundle);
  qualityOfLife(content, bundle);
}
