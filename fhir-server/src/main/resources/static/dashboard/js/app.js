// The dashboard: configuration, sign-in, filters, tabs, and the views drawn on demand from the server's answers.
import { completeSignIn, signIn, tokenClaims } from './auth.js';
import { FhirError, group, population, report } from './fhir.js';
import { FILTERS, audit, clearCache, ownCentre, setCentre } from './data.js';
import { el } from './plots.js';
import { renderSurvival } from './views/survival.js';
import { prefetchFunnel, renderFunnel } from './views/funnel.js';
import { prefetchSafety, renderSafety } from './views/safety.js';
import { renderOutcomes } from './views/outcomes.js';
import { renderCompleteness } from './views/completeness.js';
import { renderTelemetry } from './views/telemetry.js';

const VIEWS = {
  survival: renderSurvival,
  funnel: renderFunnel,
  safety: renderSafety,
  outcomes: renderOutcomes,
  completeness: renderCompleteness,
  telemetry: renderTelemetry,
};

function showError(message) {
  document.getElementById('error').textContent = message;
}

/**
 * What the centre comparison and safety views need from the server, asked one after the other once the first view is
 * drawn (so never before it), so that their tabs open without waiting; a failure is left for the view to show.
 */
function prefetch() {
  return [prefetchFunnel, prefetchSafety].reduce(
    (previous, next) => previous.then(() => next()).catch(() => {}), Promise.resolve());
}

// A view drawn for filters that have changed since is thrown away: only the latest request draws.
let generation = 0;

async function draw(name) {
  const panel = document.getElementById('view-' + name);
  const drawn = ++generation;
  panel.dataset.state = 'loading';
  const content = el('div', { class: 'content' });
  try {
    await VIEWS[name](content, panel);
    if (drawn === generation) {
      panel.querySelector('.content').replaceWith(content);
      panel.dataset.state = 'ready';
    }
  } catch (e) {
    if (drawn === generation) {
      content.replaceChildren(el('p', { class: 'unavailable' }, message(e)));
      panel.querySelector('.content').replaceWith(content);
      panel.dataset.state = 'error';
    }
  }
}

function message(e) {
  if (e instanceof FhirError && e.status === 403) {
    return 'Not available with your access: ' + e.message;
  }
  if (e instanceof FhirError && e.status === 404) {
    return 'Not available on this server: ' + e.message;
  }
  return 'Could not draw this view: ' + e.message;
}

function selectedView() {
  const tab = document.querySelector('[role=tab][aria-selected=true]');
  return tab.id.slice('tab-'.length);
}

function select(tab) {
  document.querySelectorAll('[role=tab]').forEach((t) => {
    const on = t === tab;
    t.setAttribute('aria-selected', on);
    t.tabIndex = on ? 0 : -1;
    document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
  });
  tab.focus();
  draw(tab.id.slice('tab-'.length));
}

/** Tabs as the ARIA pattern has them: arrows, Home and End move between tabs; Tab goes into the panel. */
function wireTabs() {
  const tabs = [...document.querySelectorAll('[role=tab]')];
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab));
    tab.addEventListener('keydown', (event) => {
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next !== undefined) {
        event.preventDefault();
        select(tabs[(next + tabs.length) % tabs.length]);
      }
    });
  });
}

let headlineGeneration = 0;

async function headline() {
  const target = document.getElementById('headline');
  const asked = ++headlineGeneration;
  target.textContent = 'Loading…';
  delete target.dataset.insertions;
  try {
    const insertions = group(report(await audit(), 'mcs-audit-insertions'), 'insertions');
    if (asked !== headlineGeneration) {
      return;
    }
    const n = population(insertions, 'initial-population');
    target.textContent = 'Insertions: ' + n;
    target.dataset.insertions = n;
  } catch (e) {
    if (asked === headlineGeneration) {
      target.textContent = '';
      showError(message(e));
    }
  }
}

function apply() {
  clearCache();
  showError('');
  headline();
  draw(selectedView()).then(prefetch);
}

function defaultPeriod() {
  const today = new Date();
  const start = new Date(Date.UTC(today.getUTCFullYear() - 1, 0, 1));
  document.getElementById('f-periodStart').value = start.toISOString().slice(0, 10);
  document.getElementById('f-periodEnd').value = today.toISOString().slice(0, 10);
}

/** Where the filters of the address wait while the browser is at the issuer (the redirect URI has no query). */
const ADDRESS_FILTERS = 'mcs-dashboard-filters';

/** Filters named in the address (?periodStart=2024-01-01&periodEnd=…&sex=…) over the defaults: links open them. */
function filtersFromAddress(search) {
  const given = new URLSearchParams(search);
  FILTERS.filter((name) => given.has(name)).forEach((name) => {
    document.getElementById('f-' + name).value = given.get(name);
  });
}

function describeSession(config) {
  const session = document.getElementById('session');
  if (!config.signIn) {
    session.textContent = 'Open mode (loopback, no sign-in)';
    return;
  }
  const claims = tokenClaims();
  const kind = claims.mcs_client_kind || 'unknown kind';
  session.textContent = 'Signed in: ' + (claims.sub || claims.client_id || '') + ' (' + kind
    + (ownCentre() ? ', ' + ownCentre() : ', all centres') + ')';
  session.dataset.centre = ownCentre() || '';
}

async function start() {
  let address = location.search;
  const config = await (await fetch('/dashboard/config.json')).json();
  if (config.signIn) {
    const returned = await completeSignIn(config);
    if (!returned) {
      sessionStorage.setItem(ADDRESS_FILTERS, address);
      const section = document.getElementById('sign-in');
      section.hidden = false;
      document.getElementById('sign-in-button')
        .addEventListener('click', () => signIn(config).catch((e) => showError(e.message)));
      return;
    }
    address = sessionStorage.getItem(ADDRESS_FILTERS) || '';
    sessionStorage.removeItem(ADDRESS_FILTERS);
    const claimed = tokenClaims().mcs_centre;
    setCentre(claimed ? (claimed.startsWith('Organization/') ? claimed : 'Organization/' + claimed) : null);
  }
  describeSession(config);
  defaultPeriod();
  filtersFromAddress(address);
  document.getElementById('dashboard').hidden = false;
  document.getElementById('apply').addEventListener('click', apply);
  document.getElementById('stratifier').addEventListener('change', () => draw('survival'));
  document.getElementById('safety-centre').addEventListener('change', () => draw('safety'));
  document.getElementById('t-show').addEventListener('click', () => draw('telemetry'));
  wireTabs();
  document.body.dataset.ready = 'true';
  apply();
}

start().catch((e) => showError(e.message));
