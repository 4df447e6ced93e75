// Safety over time, per centre: VLAD (cumulative expected minus observed 30-day deaths) and the risk-adjusted CUSUM
// with its signal threshold, case by case in order of insertion ($audit-charts, the chosen centre's only).
import { audit, auditCharts } from '../data.js';
import { group, parts, records, report, strata, value } from '../fhir.js';
import { chart, el, fixed, table } from '../plots.js';

function centresOf(charts) {
  return parts(charts, 'safety').map((p) => ({
    centre: value(p, 'centre'),
    threshold: value(p, 'threshold'),
    oddsRatio: value(p, 'oddsRatio'),
    cases: records(p, 'case').sort((a, b) => a.order - b.order),
  }));
}

/** The centres of the cohort: $audit's centre strata (the page has asked $audit already). */
async function centreNames() {
  const insertions = group(report(await audit(), 'mcs-audit-insertions'), 'insertions');
  return strata(insertions, 'centre').map((s) => s.stratum).filter((name) => name.startsWith('Organization/'));
}

/** The centre chosen above the plots, kept when it is still in the list; else the first. */
function chooser(names) {
  const select = document.getElementById('safety-centre');
  const current = select.value;
  if ([...select.options].map((o) => o.value).join() !== names.join()) {
    select.replaceChildren(...names.map((n) => el('option', { value: n }, n)));
  }
  select.value = names.includes(current) ? current : names[0] || '';
  return select.value;
}

/**
 * One centre's charts: with every centre's, the answer is mostly their cases (~3 MB of JSON at 10,000 insertions).
 * The expected risks stay national with a centre given (docs/outcomes.md).
 */
function chartsOf(centre) {
  return auditCharts('safety', { centre });
}

/** Asks for the chosen centre's charts before the tab is opened (once the first view is drawn). */
export async function prefetchSafety() {
  const chosen = chooser(await centreNames());
  if (chosen) {
    await chartsOf(chosen);
  }
}

export async function renderSafety(content) {
  const chosen = chooser(await centreNames());
  const centre = chosen ? centresOf(await chartsOf(chosen)).find((c) => c.centre === chosen) : undefined;
  if (!centre) {
    content.append(el('p', { class: 'unavailable' }, 'No insertions in this period.'));
    return;
  }
  const xs = centre.cases.map((c) => c.order);
  const last = centre.cases[centre.cases.length - 1];
  content.append(el('h2', {}, 'VLAD: ' + centre.centre));
  content.append(el('p', { class: 'note', id: 'vlad-end', 'data-value': last ? last.vlad : '' },
    'After ' + centre.cases.length + ' insertions: ' + fixed(last && last.vlad, 3)
      + ' lives saved (expected minus observed 30-day deaths; above zero is better than expected).'));
  chart(content, {
    title: 'Variable life-adjusted display',
    series: [{ label: 'case' }, { label: 'VLAD', stroke: '#0072B2', width: 2 },
      { label: 'zero', stroke: '#000', width: 1, points: { show: false } }],
    legend: { show: false },
    scales: { x: { time: false } },
    axes: [{ label: 'insertion (in order)' }, { label: 'expected − observed deaths' }],
  }, [xs, centre.cases.map((c) => c.vlad), xs.map(() => 0)]);
  content.append(el('h2', {}, 'Risk-adjusted CUSUM: ' + centre.centre));
  content.append(el('p', { class: 'note' }, 'Looks for an odds ratio of death of ' + fixed(centre.oddsRatio, 1)
    + '; signals when the CUSUM crosses h = ' + fixed(centre.threshold, 2) + ' (orange line).'));
  chart(content, {
    title: 'Risk-adjusted CUSUM with its threshold',
    series: [{ label: 'case' }, { label: 'CUSUM', stroke: '#000', width: 2 },
      { label: 'threshold', stroke: '#D55E00', width: 1.5, dash: [6, 4], points: { show: false } }],
    legend: { show: false },
    scales: { x: { time: false } },
    axes: [{ label: 'insertion (in order)' }, { label: 'CUSUM' }],
  }, [xs, centre.cases.map((c) => c.cusum), xs.map(() => centre.threshold)]);
  content.append(table('Cases of ' + centre.centre + ' in order of insertion', [
    { label: 'order', key: 'order' },
    { label: 'date', key: 'date' },
    { label: 'expected risk', key: 'expected', format: (v) => fixed(v, 3) },
    { label: 'died by 30 d', key: 'observed' },
    { label: 'VLAD', key: 'vlad', format: (v) => fixed(v, 3) },
    { label: 'CUSUM', key: 'cusum', format: (v) => fixed(v, 3) },
    { label: 'signal', key: 'signal', format: (v) => (v ? 'signal' : '') },
  ], centre.cases.map((c) => ({ ...c, key: String(c.order), rowClass: c.signal ? 'signal' : '' })),
  { id: 'safety', scroll: true }));
}
