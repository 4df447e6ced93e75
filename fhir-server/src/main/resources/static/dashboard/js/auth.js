// Sign-in as a SMART standalone launch: OAuth2 authorization code with PKCE (S256) against the server's issuer.
// The access token lives in this module's memory only; the PKCE verifier and state survive the round trip to the
// issuer in sessionStorage and are deleted as soon as the code is exchanged. A reload means signing in again.

const PENDING = 'mcs-dashboard-pkce';

let token = null;
let claims = {};

export function accessToken() {
  return token;
}

/** The token's claims as the page reads them (display and the centre to ask for); the server decides access. */
export function tokenClaims() {
  return claims;
}

function base64url(bytes) {
  let text = '';
  bytes.forEach((b) => { text += String.fromCharCode(b); });
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(size) {
  return base64url(crypto.getRandomValues(new Uint8Array(size)));
}

async function challenge(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function redirectUri() {
  return location.origin + '/dashboard/';
}

async function smartConfiguration(fhirBase) {
  const response = await fetch(fhirBase + '/.well-known/smart-configuration',
    { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error('the server names no authorization server (' + response.status + ')');
  }
  return response.json();
}

/** Sends the browser to the issuer's sign-in page. */
export async function signIn(config) {
  const smart = await smartConfiguration(config.fhirBase);
  const verifier = randomString(48);
  const state = randomString(24);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scope,
    state,
    aud: new URL(config.fhirBase, location.origin).href,
    code_challenge: await challenge(verifier),
    code_challenge_method: 'S256',
  });
  location.assign(smart.authorization_endpoint + '?' + query);
}

/** After the issuer's redirect: exchanges the code for a token. False when the page was not opened by a redirect. */
export async function completeSignIn(config) {
  const params = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  if (!params.has('code') && !params.has('error')) {
    return false;
  }
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', location.pathname);
  if (params.has('error')) {
    throw new Error('sign-in refused: ' + params.get('error') + ' ' + (params.get('error_description') || ''));
  }
  if (!pending || pending.state !== params.get('state')) {
    throw new Error('sign-in answer does not match the request (state); sign in again');
  }
  const smart = await smartConfiguration(config.fhirBase);
  const response = await fetch(smart.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri(),
      client_id: config.clientId,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) {
    throw new Error('the authorization server refused the code (' + response.status + ')');
  }
  const answer = await response.json();
  token = answer.access_token;
  claims = decodeClaims(token);
  return true;
}

function decodeClaims(jwt) {
  try {
    const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(payload))));
  } catch (e) {
    return {};
  }
}

export function signOut() {
  token = null;
  claims = {};
}
