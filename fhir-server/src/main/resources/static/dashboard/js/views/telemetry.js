// A pump's telemetry: flow, performance level and motor current over a chosen time range from
// Device/[id]/$telemetry-series, one plot per channel with a shared cursor and drag-to-zoom (double-click: back).
import { get } from '../fhir.js';
import { chart, el, fixed, table, uPlot } from '../plots.js';

const CHANNELS = [['pump-flow', 'Pump flow (L/min)', 2], ['performance-level', 'Performance level', 0],
  ['motor-current', 'Motor current (mA)', 0]];
/** Longer ranges are read as 60 s means (mean component), shorter ones sample by sample. */
const RAW_LIMIT_MS = 30 * 60 * 1000;

async function devices() {
  const select = document.getElementById('t-device');
  if (select.options.length) {
    return;
  }
  const bundle = await get('/Device', { _count: '200', _sort: '-_lastUpdated' });
  const list = (bundle.entry || []).map((e) => e.resource);
  select.replaceChildren(...list.map((d) => el('option', { value: d.id },
    d.id + (d.deviceName && d.deviceName[0] ? ' — ' + d.deviceName[0].name : '')
      + (d.serialNumber ? ' (' + d.serialNumber + ')' : ''))));
  if (!document.getElementById('t-end').value) {
    const end = new Date();
    const start = new Date(end.getTime() - 24 * 3600 * 1000);
    document.getElementById('t-start').value = start.toISOString().slice(0, 19);
    document.getElementById('t-end').value = end.toISOString().slice(0, 19);
  }
}

/** Times (s since epoch) and values of a SampledData (value = origin + factor × datum; "E" = no value). */
function sampled(data, start) {
  const t0 = Date.parse(start) / 1000;
  const origin = data.origin && data.origin.value !== undefined ? data.origin.value : 0;
  const factor = data.factor !== undefined ? data.factor : 1;
  const period = data.period / 1000;
  const values = (data.data || '').trim().split(/\s+/).filter((x) => x !== '');
  const missing = (v) => v === 'E' || v === 'L' || v === 'U';
  return values.map((v, i) => [t0 + i * period, missing(v) ? null : origin + factor * Number(v)]);
}

function series(observation) {
  const start = observation.effectivePeriod ? observation.effectivePeriod.start : observation.effectiveDateTime;
  if (observation.valueSampledData) {
    return sampled(observation.valueSampledData, start);
  }
  const mean = (observation.component || []).find((c) => c.code.coding.some((x) => x.code === 'mean'));
  return mean ? sampled(mean.valueSampledData, start) : [];
}

function zoomTogether(plots) {
  let busy = false;
  plots.forEach((p) => {
    p.hooks = p.hooks || {};
  });
  return (u) => {
    if (busy) {
      return;
    }
    busy = true;
    const { min, max } = u.scales.x;
    plots.filter((p) => p !== u).forEach((p) => p.setScale('x', { min, max }));
    busy = false;
  };
}

export async function renderTelemetry(content) {
  await devices();
  const device = document.getElementById('t-device').value;
  if (!device) {
    content.append(el('p', { class: 'unavailable' }, 'No pumps visible with your access.'));
    return;
  }
  const start = document.getElementById('t-start').value + 'Z';
  const end = document.getElementById('t-end').value + 'Z';
  const raw = Date.parse(end) - Date.parse(start) <= RAW_LIMIT_MS;
  const answers = await Promise.all(CHANNELS.map(([channel]) => get('/Device/' + encodeURIComponent(device)
    + '/$telemetry-series', raw ? { channel, start, end } : { channel, start, end, resolution: '60s' })));
  const points = answers.map(series);
  const xs = points[0].map((p) => p[0]);
  content.append(el('h2', {}, 'Pump ' + device + (raw ? '' : ' (60-second means)')));
  const plots = [];
  const sync = { key: 'telemetry-' + device };
  let link;
  CHANNELS.forEach(([, label], i) => {
    plots.push(chart(content, {
      title: label,
      height: 200,
      series: [{ label: 'time' }, { label, stroke: ['#0072B2', '#E69F00', '#009E73'][i], width: 1.5 }],
      cursor: { sync, drag: { x: true, y: false } },
      scales: { x: { time: true } },
      // the axis in UTC, like the range inputs and the table (uPlot labels in the browser's zone otherwise)
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
      axes: [{ label: 'time (UTC)' }, { label }],
      hooks: { setScale: [(u, key) => key === 'x' && link && link(u)] },
    }, [points[i].map((p) => p[0]), points[i].map((p) => p[1])]));
  });
  link = zoomTogether(plots);
  const rows = xs.map((t, i) => ({ key: String(t), time: new Date(t * 1000).toISOString().slice(0, 19) + 'Z',
    flow: points[0][i] && points[0][i][1], level: points[1][i] && points[1][i][1],
    current: points[2][i] && points[2][i][1] }));
  content.append(table('Telemetry of ' + device, [
    { label: 'time (UTC)', key: 'time' },
    { label: 'flow (L/min)', key: 'flow', format: (v) => fixed(v, 2) },
    { label: 'performance level', key: 'level', format: (v) => fixed(v, 0) },
    { label: 'motor current (mA)', key: 'current', format: (v) => fixed(v, 0) },
  ], rows, { id: 'telemetry', scroll: true }));
}
