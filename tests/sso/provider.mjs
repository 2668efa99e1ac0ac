// A real OpenID Connect provider (panva's oidc-provider) on 127.0.0.1 for the SSO tests and for
// trying SSO by hand: discovery, authorisation code with PKCE (required), token, userinfo,
// JWKS and RP-initiated sign-out, with a plain sign-in form instead of a council's.
//
//   node tests/sso/provider.mjs --port 8118 --accounts tests/sso/accounts.json \
//        --redirect-uri http://127.0.0.1:8108/accounts/oidc/council/login/callback/ \
//        --post-logout-uri http://127.0.0.1:8108/sign-in/
//
// Prints one line of JSON ({"issuer": ...}) when it is ready. Accounts are read from the file:
// {"olivia": {"sub": "...", "password": "...", "claims": {...}, "fault": "tampered" | "wrong-issuer" | "expired"}}.
// A `fault` makes the provider misbehave the way an attacker or a broken provider would, on
// the token response only, so the relying party's checks are tested against real tokens.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK } from 'jose';
import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    accounts: { type: 'string' },
    'client-id': { type: 'string', default: 'councilperf' },
    'client-secret': { type: 'string', default: 'councilperf-test-secret-of-reasonable-length' },
    'redirect-uri': { type: 'string', multiple: true, default: [] },
    'post-logout-uri': { type: 'string', multiple: true, default: [] },
  },
});

// Signed in by username; known to the relying party only by the opaque, unchanging `sub`.
const accounts = JSON.parse(readFileSync(args.accounts, 'utf8'));
const bySub = Object.fromEntries(Object.values(accounts).map((account) => [account.sub, account]));

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
const signingKey = await importJWK(signingJwk, 'RS256');

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>${escape(title)} – Test identity provider</title><link rel="icon" href="data:,"></head><body><main>
<h1>${escape(title)}</h1>${body}</main></body></html>`;

const server = createServer();
await new Promise((resolve) => { server.listen(Number(args.port), '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: args['client-id'],
    client_secret: args['client-secret'],
    redirect_uris: args['redirect-uri'],
    post_logout_redirect_uris: args['post-logout-uri'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signingJwk] },
  cookies: { keys: ['test-provider-cookie-key'] },
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'email', 'groups'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username', 'account_enabled', 'department'],
    email: ['email', 'email_verified'],
    groups: ['groups', 'roles'],
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out of the test identity provider', `${form}
          <button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
          <button type="submit" form="op.logoutForm">No, stay signed in</button>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page('You have signed out', '<p>You have signed out of the test identity provider.</p>');
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = bySub[sub];
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
  },
  async loadExistingGrant(ctx) {
    // The council's own application: people are not asked to consent to it.
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email groups');
    await grant.save();
    return grant;
  },
  ttl: { IdToken: 600, AccessToken: 600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Sign-in error', `<p>${escape(out.error)}: ${escape(out.error_description || '')}</p>`);
  },
});

// The sign-in form the provider shows instead of the council's own.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = page('Sign in to the test identity provider', `
      <form method="post" action="/interaction/${escape(details.uid)}">
        <p><label for="username">Username</label> <input id="username" name="username" autocomplete="username"></p>
        <p><label for="password">Password</label> <input id="password" name="password" type="password"></p>
        <p><button type="submit">Sign in to the provider</button></p>
      </form>`);
    return undefined;
  }
  const body = new URLSearchParams(await new Promise((resolve) => {
    let data = '';
    ctx.req.on('data', (chunk) => { data += chunk; });
    ctx.req.on('end', () => resolve(data));
  }));
  const account = accounts[body.get('username')];
  if (!account || account.password !== body.get('password')) {
    ctx.status = 401;
    ctx.type = 'html';
    ctx.body = page('Sign in to the test identity provider', '<p role="alert">Wrong username or password.</p>');
    return undefined;
  }
  await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
  return undefined;
});

// Faults, injected into the token response after the provider has built it.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.oidc?.route !== 'token' || !ctx.body?.id_token) return;
  const claims = decodeJwt(ctx.body.id_token);
  const fault = bySub[claims.sub]?.fault;
  const now = Math.floor(Date.now() / 1000);
  const sign = (payload) => new SignJWT(payload)
    .setProtectedHeader(decodeProtectedHeader(ctx.body.id_token)).sign(signingKey);
  if (fault === 'tampered') {
    // Someone changed whose token it is without the provider's key: the signature no longer matches.
    const [header, , signature] = ctx.body.id_token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: accounts.priya?.sub || 'someone-else' })).toString('base64url');
    ctx.body = { ...ctx.body, id_token: `${header}.${forged}.${signature}` };
  } else if (fault === 'wrong-issuer') {
    ctx.body = { ...ctx.body, id_token: await sign({ ...claims, iss: `${issuer}/another-tenant` }) };
  } else if (fault === 'expired') {
    ctx.body = { ...ctx.body, id_token: await sign({ ...claims, iat: now - 7200, exp: now - 3600 }) };
  }
});

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
