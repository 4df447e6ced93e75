// Safety over time, per centre: VLAD (cumulative expected minus observed 30-day deaths) and the risk-adjusted CUSUM
// with its signal threshold, case by case in order of insertion ($audit-charts).
import { auditCharts } from '../data.js';
import { parts, records, value } from '../fhir.js';
import { chart, el, fixed, table } from '../plots.js';

function centresOf(charts) {
  return parts(charts, 'safety').map((p) => ({
    centre: value(p, 'centre'),
    threshold: value(p, 'threshold'),
    oddsRatio: value(p, 'oddsRatio'),
    cases: records(p, 'case').sort((a, b) => a.order - b.order),
  }));
}

function chooser(centres) {
  const select = document.getElementById('safety-centre');
  const current = select.value;
  const names = centres.map((c) => c.centre);
  if ([...select.options].map((o) => o.value).join() !== names.join()) {
    select.replaceChildren(...names.map((n) => el('option', { value: n }, n)));
  }
  select.value = names.includes(current) ? current : names[0] || '';
  return select.value;
}

export async function renderSafety(content) {
  const centres = centresOf(await auditCharts('safety'));
  const chosen = chooser(centres);
  const centre = centres.find((c) => c.centre === chosen);
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
