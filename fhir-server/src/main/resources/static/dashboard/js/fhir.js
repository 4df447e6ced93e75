// Calls to the server's own FHIR API with the in-memory token, and readers for the answers the views use.
import { accessToken } from './auth.js';

export class FhirError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function get(path, params) {
  const given = params ? Object.entries(params).filter(([, v]) => v !== '' && v != null) : [];
  const query = given.length ? '?' + new URLSearchParams(given) : '';
  const headers = { Accept: 'application/fhir+json' };
  const token = accessToken();
  if (token) {
    headers.Authorization = 'Bearer ' + token;
  }
  const response = await fetch('/fhir' + path + query, { headers });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const diagnostics = body && body.issue && body.issue[0] ? body.issue[0].diagnostics : '';
    throw new FhirError(response.status, diagnostics || 'HTTP ' + response.status);
  }
  return body;
}

// --- Parameters (the $audit-charts answer)

/** The named parts of a Parameters parameter (or of the Parameters resource itself), as a list. */
export function parts(node, name) {
  const list = node.parameter || node.part || [];
  return list.filter((p) => p.name === name);
}

/** The value of the first part with this name: whichever value[x] it carries. */
export function value(node, name) {
  const part = parts(node, name)[0];
  if (!part) {
    return undefined;
  }
  const key = Object.keys(part).find((k) => k.startsWith('value'));
  return key ? part[key] : undefined;
}

/** A repeating part as plain objects of its sub-parts' values. */
export function records(node, name) {
  return parts(node, name).map((part) => {
    const record = {};
    (part.part || []).forEach((p) => {
      const key = Object.keys(p).find((k) => k.startsWith('value'));
      if (key) {
        record[p.name] = p[key];
      }
    });
    return record;
  });
}

// --- MeasureReports (the $audit answer)

export const SMALL_CELL = 'https://mcs-fhir.org/fhir/StructureDefinition/mcs-small-cell';
export const CONFIDENCE_INTERVAL = 'https://mcs-fhir.org/fhir/StructureDefinition/mcs-confidence-interval';
export const INTERQUARTILE_RANGE = 'https://mcs-fhir.org/fhir/StructureDefinition/mcs-interquartile-range';

export function report(bundle, measureId) {
  const entry = (bundle.entry || []).find((e) => e.resource && e.resource.id === measureId);
  return entry ? entry.resource : null;
}

export function codeOf(concept) {
  if (!concept) {
    return '';
  }
  const list = Array.isArray(concept) ? concept : [concept];
  const first = list[0] || {};
  return first.text || (first.coding && first.coding[0] && first.coding[0].code) || '';
}

export function group(measureReport, code) {
  return (measureReport && measureReport.group || []).find((g) => codeOf(g.code) === code);
}

export function population(element, code) {
  const p = (element.population || []).find((x) => codeOf(x.code) === code);
  return p ? p.count : undefined;
}

export function score(element) {
  return element && element.measureScore ? element.measureScore.value : undefined;
}

export function range(element, url) {
  const ext = (element.extension || []).find((e) => e.url === url);
  return ext && ext.valueRange ? [ext.valueRange.low && ext.valueRange.low.value,
    ext.valueRange.high && ext.valueRange.high.value] : null;
}

export function smallCell(element) {
  return (element.extension || []).some((e) => e.url === SMALL_CELL && e.valueBoolean === true);
}

/** The strata of one stratifier of a group: [{stratum, element}]. */
export function strata(groupElement, stratifier) {
  const s = (groupElement && groupElement.stratifier || []).find((x) => codeOf(x.code) === stratifier);
  return s ? (s.stratum || []).map((st) => ({ stratum: codeOf(st.value), element: st })) : [];
}
