// Starts cognito-local (a LOCAL STAND-IN for Amazon Cognito user pools, development and tests only)
// with what the local system needs beyond the npm package, and nothing else changed:
//  - a local MAILBOX: every message cognito-local would send (invitations with their temporary
//    password, verification codes) is appended as one JSON line to TA_MAILBOX_FILE, rendered with
//    the pool's own invitation template (TA_INVITE_SUBJECT / TA_INVITE_MESSAGE, from the auth
//    service's template); cognito-local itself only prints the code;
//  - AdminCreateUser with MessageAction=RESEND, which cognito-local refuses as unsupported: as in
//    Cognito, only for a user who has not signed in yet (FORCE_CHANGE_PASSWORD), a new temporary
//    password, delivered to the mailbox;
//  - sign-in of a disabled user is refused as Cognito does (NotAuthorizedException "User is
//    disabled."); cognito-local lets disabled users sign in;
//  - AdminSetUserMFAPreference, which cognito-local lacks: sets or clears the user's TOTP preference
//    (and, when disabling, forgets the enrolled secret, so the user enrols again);
//  - AdminUserGlobalSignOut, which cognito-local lacks: forgets the user's refresh tokens (as
//    Cognito revokes them), so a refresh fails afterwards;
//  - TEST-ONLY FAULT for the fault tests: while TA_JWKS_FAULT_FILE holds `{"delayMs":…}` or
//    `{"status":…}`, requests for the pool's JWKS are answered that late or with that status.
const { appendFileSync, readFileSync } = require('node:fs');
const http = require('node:http');
const { randomInt } = require('node:crypto');
const { dirname, join } = require('node:path');

const root = dirname(require.resolve('cognito-local/package.json'));
const lib = (path) => require(join(root, 'lib', path));
const { Targets } = lib('targets/targets');
const { ConsoleMessageSender } = lib('services/messageDelivery/consoleMessageSender');
const { UserNotFoundError, UnsupportedError, InvalidParameterError, NotAuthorizedError } = lib('errors');
const { userToResponseObject } = lib('targets/responses');
const { attributeValue } = lib('services/userPoolService');

const render = (template, user, code) =>
  (template || '').replaceAll('{username}', user.Username).replaceAll('{####}', code || '');

const deliverToMailbox = (user, destination, code, kind) => {
  const file = process.env.TA_MAILBOX_FILE;
  if (!file) return;
  const invitation = kind === 'invitation';
  const entry = {
    at: new Date().toISOString(),
    to: destination,
    username: user.Username,
    kind,
    subject: invitation ? render(process.env.TA_INVITE_SUBJECT, user, code) : 'Your verification code',
    body: invitation ? render(process.env.TA_INVITE_MESSAGE, user, code) : `Your code is ${code}`,
  };
  appendFileSync(file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
};

const originalSend = ConsoleMessageSender.prototype.sendToConsole;
ConsoleMessageSender.prototype.sendToConsole = function sendToMailbox(ctx, user, destination, message) {
  const kind = user.UserStatus === 'FORCE_CHANGE_PASSWORD' ? 'invitation' : 'code';
  deliverToMailbox(user, destination, message.__code, kind);
  return originalSend.call(this, ctx, user, destination, message);
};

/** A temporary password that satisfies any Cognito policy (upper, lower, digit, symbol, 16 long). */
const temporaryPassword = () => {
  const pick = (chars) => chars[randomInt(chars.length)];
  const all = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return [pick('ABCDEFGHJKLMNPQRSTUVWXYZ'), pick('abcdefghijkmnopqrstuvwxyz'), pick('23456789'), '!']
    .concat(Array.from({ length: 12 }, () => pick(all)))
    .join('');
};

const adminCreateUser = Targets.AdminCreateUser;
Targets.AdminCreateUser = (services) => {
  const create = adminCreateUser(services);
  return async (ctx, req) => {
    if (req.MessageAction !== 'RESEND') return create(ctx, req);
    const userPool = await services.cognito.getUserPool(ctx, req.UserPoolId);
    const user = await userPool.getUserByUsername(ctx, req.Username);
    if (!user) throw new UserNotFoundError('User does not exist.');
    if (user.UserStatus !== 'FORCE_CHANGE_PASSWORD') {
      throw new UnsupportedError(
        'Resend is only possible for a user who has not signed in (FORCE_CHANGE_PASSWORD)',
      );
    }
    const email = attributeValue('email', user.Attributes);
    if (!email) throw new InvalidParameterError('User has no attribute matching desired delivery mediums');
    const password = temporaryPassword();
    const updated = { ...user, Password: password, UserLastModifiedDate: services.clock.get() };
    await userPool.saveUser(ctx, updated);
    deliverToMailbox(updated, email, password, 'invitation');
    return { User: userToResponseObject(updated) };
  };
};

for (const name of ['InitiateAuth', 'AdminInitiateAuth']) {
  const initiate = Targets[name];
  Targets[name] = (services) => {
    const run = initiate(services);
    return async (ctx, req) => {
      const username = req.AuthParameters?.USERNAME;
      if (username && req.UserPoolId !== undefined) {
        const userPool = await services.cognito.getUserPool(ctx, req.UserPoolId);
        const user = await userPool.getUserByUsername(ctx, username);
        if (user && user.Enabled === false) throw new NotAuthorizedError('User is disabled.');
      } else if (username && req.ClientId) {
        const userPool = await services.cognito.getUserPoolForClientId(ctx, req.ClientId);
        const user = await userPool.getUserByUsername(ctx, username);
        if (user && user.Enabled === false) throw new NotAuthorizedError('User is disabled.');
      }
      return run(ctx, req);
    };
  };
}

Targets.AdminSetUserMFAPreference = (services) => async (ctx, req) => {
  const userPool = await services.cognito.getUserPool(ctx, req.UserPoolId);
  const user = await userPool.getUserByUsername(ctx, req.Username);
  if (!user) throw new UserNotFoundError('User does not exist.');
  const totp = req.SoftwareTokenMfaSettings;
  if (!totp) return {};
  const others = (user.UserMFASettingList ?? []).filter((setting) => setting !== 'SOFTWARE_TOKEN_MFA');
  const updated = {
    ...user,
    UserMFASettingList: totp.Enabled ? [...others, 'SOFTWARE_TOKEN_MFA'] : others,
    PreferredMfaSetting: totp.PreferredMfa
      ? 'SOFTWARE_TOKEN_MFA'
      : user.PreferredMfaSetting === 'SOFTWARE_TOKEN_MFA'
        ? undefined
        : user.PreferredMfaSetting,
    UserLastModifiedDate: services.clock.get(),
  };
  if (!totp.Enabled) delete updated.SoftwareTokenMfaConfiguration;
  await userPool.saveUser(ctx, updated);
  return {};
};

Targets.AdminUserGlobalSignOut = (services) => async (ctx, req) => {
  const userPool = await services.cognito.getUserPool(ctx, req.UserPoolId);
  const user = await userPool.getUserByUsername(ctx, req.Username);
  if (!user) throw new UserNotFoundError('User does not exist.');
  await userPool.saveUser(ctx, { ...user, RefreshTokens: [], UserLastModifiedDate: services.clock.get() });
  return {};
};

const jwksFault = () => {
  const file = process.env.TA_JWKS_FAULT_FILE;
  if (!file) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // no fault
  }
};
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitWithJwksFault(event, request, response, ...rest) {
  const fault = event === 'request' && /\/\.well-known\/jwks\.json$/.test(request.url ?? '') && jwksFault();
  if (!fault) return emit.call(this, event, request, response, ...rest);
  if (fault.status) {
    response.writeHead(fault.status, { 'content-type': 'text/plain' });
    response.end('JWKS unavailable (local fault)');
    return true;
  }
  setTimeout(() => emit.call(this, event, request, response, ...rest), fault.delayMs ?? 0);
  return true;
};

require(join(root, 'lib', 'bin', 'start.js'));
