// Survival: the server's Kaplan–Meier step functions ($audit-charts) with 95 % CI bands and censoring marks, the
// numbers at risk, and the survival at 30 d / 180 d / 1 y exactly as $audit reports it.
import { auditCharts, audit } from '../data.js';
import {
  CONFIDENCE_INTERVAL, group, parts, population, range, records, report, score, smallCell, strata, value,
} from '../fhir.js';
import { chart, colour, el, fixed, pointsOnly, swatches, table, translucent, uPlot } from '../plots.js';

const POINTS = [['survival-30d', 's30', '30 d'], ['survival-180d', 's180', '180 d'], ['survival-1y', 's365', '1 y']];

function curvesOf(charts) {
  return parts(charts, 'survival').map((p) => ({
    stratifier: value(p, 'stratifier'),
    stratum: value(p, 'stratum'),
    n: value(p, 'n'),
    smallCell: value(p, 'smallCell') === true,
    points: records(p, 'point').sort((a, b) => a.day - b.day),
    risk: records(p, 'risk'),
  }));
}

/** The step function's value at day x (the last estimate at or before x); null beyond the curve's follow-up. */
function stepAt(points, x, key, start) {
  const last = points.length ? points[points.length - 1].day : 0;
  if (x > last) {
    return null;
  }
  let v = start;
  for (const p of points) {
    if (p.day > x) {
      break;
    }
    v = p[key] === undefined ? null : p[key];
  }
  return v;
}

function plotData(curves) {
  const days = new Set([0]);
  curves.forEach((c) => c.points.forEach((p) => days.add(p.day)));
  const xs = [...days].sort((a, b) => a - b);
  const data = [xs];
  const series = [{ label: 'day' }];
  const bands = [];
  curves.forEach((c, i) => {
    const stroke = colour(i);
    const label = c.stratum === 'all' ? 'overall' : c.stratum;
    const base = data.length;
    data.push(xs.map((x) => stepAt(c.points, x, 'survival', 1)));
    data.push(xs.map((x) => stepAt(c.points, x, 'upper', null)));
    data.push(xs.map((x) => stepAt(c.points, x, 'lower', null)));
    data.push(xs.map((x) => {
      const p = c.points.find((q) => q.day === x && q.censored > 0);
      return p ? p.survival : null;
    }));
    const stepped = uPlot.paths.stepped({ align: 1 });
    series.push({ label, stroke, width: 2, paths: stepped, points: { show: false } });
    series.push({ label: label + ' upper 95 %', stroke: translucent(stroke, 0.3), width: 1, paths: stepped,
      points: { show: false } });
    series.push({ label: label + ' lower 95 %', stroke: translucent(stroke, 0.3), width: 1, paths: stepped,
      points: { show: false } });
    series.push({ label: label + ' censored', ...pointsOnly(stroke, 6), points: { show: true, size: 6, stroke,
      fill: '#fff', width: 1.5 } });
    bands.push({ series: [base + 1, base + 2], fill: translucent(stroke, 0.12) });
  });
  return { data, series, bands };
}

function legend(curves) {
  return swatches(curves.map((c) => (c.stratum === 'all' ? 'overall' : c.stratum) + ' (n = ' + c.n + ')'
    + (c.smallCell ? ' †' : '')));
}

function survivalRows(bundle, stratifier) {
  const survival = report(bundle, 'mcs-audit-survival');
  const groups = POINTS.map(([code]) => group(survival, code));
  const row = (key, label, elements) => {
    const r = { key, stratum: label, n: population(elements[0], 'initial-population'),
      smallCell: smallCell(elements[0]) };
    POINTS.forEach(([, col], i) => {
      r[col] = score(elements[i]);
      r[col + 'ci'] = range(elements[i], CONFIDENCE_INTERVAL);
      r[col + 'atRisk'] = population(elements[i], 'number-at-risk');
    });
    return r;
  };
  const rows = [row('all', 'overall', groups)];
  if (stratifier) {
    const byStratum = groups.map((g) => strata(g, stratifier));
    byStratum[0].forEach((s, i) => rows.push(row(s.stratum, s.stratum, byStratum.map((list) => list[i].element))));
  }
  return rows;
}

function estimate(v, row, col) {
  if (v === undefined) {
    return '–';
  }
  const ci = row[col + 'ci'];
  return fixed(v, 3) + (ci ? ' (' + fixed(ci[0], 3) + '–' + fixed(ci[1], 3) + ')' : '');
}

function drawCurves(content, curves) {
  const { data, series, bands } = plotData(curves);
  chart(content, {
    title: 'Kaplan–Meier survival with 95 % confidence bands; open circles mark censored insertions',
    series,
    bands,
    legend: { show: false },
    scales: { x: { time: false, range: [0, 365] }, y: { range: [0, 1] } },
    axes: [{ label: 'days since insertion' }, { label: 'survival' }],
  }, data);
  content.append(legend(curves));
}

export async function renderSurvival(content) {
  const stratifier = document.getElementById('stratifier').value;
  // both asked at once: the view waits for the slower, not the sum (the estimates at 30 d / 180 d / 1 y come from
  // $audit: shown even when the curves cannot be had)
  const [bundle, charts] = await Promise.all([
    audit(),
    auditCharts('survival', stratifier ? { stratifier } : {}).catch((e) => e),
  ]);
  content.append(el('h2', {}, 'Kaplan–Meier survival to 1 year' + (stratifier ? ' by ' + stratifier : '')));
  const curves = charts instanceof Error ? [] : curvesOf(charts);
  if (charts instanceof Error) {
    content.append(el('p', { class: 'unavailable' }, 'Curves not available: ' + charts.message));
  } else {
    drawCurves(content, curves);
  }
  content.append(table('Survival at 30 days, 180 days and 1 year (Measure/$audit; 95 % CI, log-log)', [
    { label: 'stratum', key: 'stratum' },
    { label: 'insertions', key: 'n' },
    ...POINTS.map(([, col, label]) => ({ label: 'S(' + label + ')', key: col, format: (v, r) => estimate(v, r, col) })),
    ...POINTS.map(([, col, label]) => ({ label: 'at risk ' + label, key: col + 'atRisk' })),
  ], survivalRows(bundle, stratifier), { id: 'survival' }));
  const days = [...new Set(curves.flatMap((c) => c.risk.map((r) => r.day)))].sort((a, b) => a - b);
  content.append(table('Numbers at risk (Measure/$audit-charts)', [
    { label: 'stratum', key: 'stratum' },
    ...days.map((d) => ({ label: 'day ' + d, key: 'd' + d })),
  ], curves.map((c) => {
    const row = { key: c.stratum, stratum: c.stratum === 'all' ? 'overall' : c.stratum, smallCell: c.smallCell };
    c.risk.forEach((r) => { row['d' + r.day] = r.atRisk; });
    return row;
  }), { id: 'at-risk' }));
}
