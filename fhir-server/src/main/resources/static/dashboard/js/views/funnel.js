// Centre comparison: funnel plots of 30-day mortality and of any complication, each centre's rate against the
// national rate with the 95 % and 99.8 % control limits the server computed ($audit-charts, docs/outcomes.md).
import { auditCharts } from '../data.js';
import { parts, records, value } from '../fhir.js';
import { chart, colour, el, fixed, percent, pointsOnly, swatches, table } from '../plots.js';

const TITLES = { 'mortality-30d': '30-day mortality', 'complication-any': 'Any complication' };

function funnelsOf(charts) {
  return parts(charts, 'funnel').map((p) => ({
    measure: value(p, 'measure'),
    nationalRate: value(p, 'nationalRate'),
    method: value(p, 'method'),
    centres: records(p, 'centre'),
    limits: records(p, 'limit').sort((a, b) => a.n - b.n),
  }));
}

function plot(content, funnel) {
  const xs = [...new Set([...funnel.limits.map((l) => l.n), ...funnel.centres.map((c) => c.n)])]
    .sort((a, b) => a - b);
  const limitAt = (key) => xs.map((x) => {
    const l = funnel.limits.find((q) => q.n === x);
    return l ? l[key] : null;
  });
  const data = [xs, xs.map(() => funnel.nationalRate), limitAt('lower95'), limitAt('upper95'), limitAt('lower998'),
    limitAt('upper998')];
  const series = [{ label: 'insertions' },
    { label: 'national rate', stroke: '#000', width: 1.5, points: { show: false } },
    { label: 'lower 95 %', stroke: '#0072B2', width: 1.5, dash: [6, 4], spanGaps: true, points: { show: false } },
    { label: 'upper 95 %', stroke: '#0072B2', width: 1.5, dash: [6, 4], spanGaps: true, points: { show: false } },
    { label: 'lower 99.8 %', stroke: '#D55E00', width: 1.5, spanGaps: true, points: { show: false } },
    { label: 'upper 99.8 %', stroke: '#D55E00', width: 1.5, spanGaps: true, points: { show: false } }];
  funnel.centres.forEach((c, i) => {
    data.push(xs.map((x) => (x === c.n ? c.rate : null)));
    series.push({ label: c.centre, ...pointsOnly(colour(i + 2), 9) });
  });
  chart(content, {
    title: (TITLES[funnel.measure] || funnel.measure) + ' funnel plot',
    series,
    legend: { show: false },
    scales: { x: { time: false, range: [0, Math.max(1, ...xs) * 1.08] }, y: { range: [0, 1] } },
    axes: [{ label: 'insertions at the centre' }, { label: 'rate' }],
  }, data);
  content.append(swatches(funnel.centres.map((c) => c.centre + (c.smallCell ? ' †' : '')), 2));
  content.append(el('p', { class: 'note' }, 'Black line: national rate ' + percent(funnel.nationalRate)
    + '. Dashed blue: 95 % limits; solid orange: 99.8 % limits. Method: ' + (funnel.method || 'see docs') + '.'));
}

/** Asks for the funnel plots before the tab is opened (once the first view is drawn). */
export function prefetchFunnel() {
  return auditCharts('funnel');
}

export async function renderFunnel(content) {
  const charts = await auditCharts('funnel');
  funnelsOf(charts).forEach((funnel) => {
    content.append(el('h2', {}, TITLES[funnel.measure] || funnel.measure));
    plot(content, funnel);
    content.append(table((TITLES[funnel.measure] || funnel.measure) + ' per centre', [
      { label: 'centre', key: 'centre' },
      { label: 'insertions', key: 'n' },
      { label: 'events', key: 'events' },
      { label: 'rate', key: 'rate', format: (v) => fixed(v, 3) },
      { label: 'outside limits', key: 'outside' },
    ], funnel.centres.map((c) => ({ ...c, key: c.centre,
      rowClass: c.outside === '99.8' ? 'outside-99' : '' })), { id: 'funnel-' + funnel.measure }));
  });
}
