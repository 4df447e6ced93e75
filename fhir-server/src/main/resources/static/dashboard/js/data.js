// What the views ask the server for: the filters, the token's centre, and one request per distinct question.
import { get } from './fhir.js';

/** The filters: each is an input #f-<name> and the query parameter of the same name, in the address and the calls. */
export const FILTERS = ['periodStart', 'periodEnd', 'sex', 'ageBand', 'pregnancy'];

const cache = new Map();
let centre = null;

/** For a centre-bound token (Organization/x): every audit call names it, as the server requires. */
export function setCentre(reference) {
  centre = reference;
}

export function ownCentre() {
  return centre;
}

export function filterParams() {
  const params = {};
  FILTERS.forEach((name) => { params[name] = document.getElementById('f-' + name).value; });
  if (centre) {
    params.centre = centre;
  }
  return params;
}

export function clearCache() {
  cache.clear();
}

export function cached(path, params) {
  const key = path + '?' + new URLSearchParams(params);
  if (!cache.has(key)) {
    cache.set(key, get(path, params).catch((e) => {
      cache.delete(key);
      throw e;
    }));
  }
  return cache.get(key);
}

export function audit() {
  return cached('/Measure/$audit', filterParams());
}

/** One chart of $audit-charts (survival, funnel or safety): each view asks for its own, so none waits for the rest. */
export function auditCharts(chart, extra) {
  return cached('/Measure/$audit-charts', { ...filterParams(), chart, ...extra });
}
