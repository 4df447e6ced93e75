// Data completeness: a centre × item heatmap of the $audit completeness figures stratified by centre; each cell opens
// that centre's open worklist Tasks (Task?owner=&status=requested[&code=]) for the item.
import { audit } from '../data.js';
import { get, codeOf, population, report, score, smallCell, strata } from '../fhir.js';
import { el, percent } from '../plots.js';

const WORKLIST = 'https://mcs-fhir.org/fhir/CodeSystem/mcs-worklist-item-cs';

/** Completeness item → the worklist item that asks a centre for it (none for the items no Task chases). */
const TASK_CODE = {
  consent: 'missing-consent',
  'access-site': 'missing-access-site',
  device: 'missing-device',
  'support-outcome': 'support-not-ended',
  'vital-status-30d': 'overdue-follow-up-30d',
  'vital-status-180d': 'overdue-follow-up-180d',
  'vital-status-1y': 'overdue-follow-up-1y',
};

/** Cividis-like sequential scale, readable with colour-vision deficiencies; dark text on light cells. */
const SCALE = ['#00204c', '#31446b', '#666970', '#958f78', '#cbba69', '#ffe945'];

function shade(cell, share) {
  if (share === undefined) {
    return;
  }
  const i = Math.min(SCALE.length - 1, Math.floor(share * SCALE.length));
  cell.style.background = SCALE[i];
  cell.style.color = i >= 3 ? '#000' : '#fff';
}

async function showWorklist(centre, item) {
  const target = document.getElementById('worklist');
  const params = { owner: centre, status: 'requested', _count: '100' };
  if (TASK_CODE[item]) {
    params.code = WORKLIST + '|' + TASK_CODE[item];
  }
  target.replaceChildren(el('h3', {}, 'Open worklist of ' + centre + (TASK_CODE[item] ? ': ' + TASK_CODE[item] : '')));
  target.append(el('p', { class: 'note' }, 'GET /fhir/Task?' + new URLSearchParams(params)));
  try {
    const bundle = await get('/Task', params);
    const tasks = (bundle.entry || []).map((e) => e.resource);
    target.dataset.count = tasks.length;
    if (!tasks.length) {
      target.append(el('p', {}, 'No open Tasks.'));
      return;
    }
    target.append(el('ul', {}, tasks.map((t) => el('li', {}, codeOf(t.code) + ' — '
      + (t.focus ? t.focus.reference : '') + (t.executionPeriod && t.executionPeriod.start
      ? ', due ' + t.executionPeriod.start : '')))));
  } catch (e) {
    target.append(el('p', { class: 'unavailable' }, 'Worklist not available: ' + e.message));
  }
}

export async function renderCompleteness(content) {
  const r = report(await audit(), 'mcs-audit-completeness');
  const groups = (r.group || []).map((g) => ({ item: codeOf(g.code).slice('completeness-'.length), group: g }));
  const centres = groups.length ? strata(groups[0].group, 'centre').map((s) => s.stratum) : [];
  content.append(el('h2', {}, 'Data completeness by centre'));
  content.append(el('p', { class: 'note' }, 'Share of insertions with each item (follow-up items: of the insertions '
    + 'that have reached the point). Select a cell for that centre\'s open worklist Tasks.'));
  const head = el('tr', {}, el('th', { scope: 'col' }, 'centre'),
    groups.map((g) => el('th', { scope: 'col' }, g.item)));
  const rows = centres.map((centre) => el('tr', { 'data-key': centre }, el('th', { scope: 'row' }, centre),
    groups.map((g) => {
      const s = strata(g.group, 'centre').find((x) => x.stratum === centre);
      const share = s ? score(s.element) : undefined;
      const cell = el('td', { class: 'cell' + (s && smallCell(s.element) ? ' mcs-small-cell' : ''),
        'data-col': g.item });
      const button = el('button', { type: 'button', title: (s ? population(s.element, 'numerator') + ' of '
        + population(s.element, 'denominator') : '') + ' — open worklist',
        onclick: () => showWorklist(centre, g.item) }, share === undefined ? '–' : percent(share));
      shade(button, share);
      cell.append(button);
      return cell;
    })));
  const all = el('tr', { 'data-key': 'all' }, el('th', { scope: 'row' }, 'all centres'),
    groups.map((g) => el('td', { 'data-col': g.item }, percent(score(g.group)))));
  content.append(el('table', { class: 'heat', 'data-table': 'completeness' },
    el('caption', {}, 'Completeness (Measure/$audit, completeness stratified by centre)'),
    el('thead', {}, head), el('tbody', {}, rows, all)));
}
