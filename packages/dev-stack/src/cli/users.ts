/**
 * users list|get|invite|resend|disable|enable|delete|reset-mfa|grant-admin|revoke-admin … — tenant
 * admins' side of the admin API (always the caller's own tenant), against the running local system
 * (--as tenant1-admin) or a deployed stage (--url, --token).
 */
import { pageQuery, runAdminCli } from './admin-cli';

const usage = `Usage: users list [--limit N] [--cursor C]
       users get|delete|resend|disable|enable|reset-mfa|grant-admin|revoke-admin <username>
       users invite <username> --email E`;

const actions: Record<string, { method: string; suffix: string; body?: unknown }> = {
  get: { method: 'GET', suffix: '' },
  delete: { method: 'DELETE', suffix: '' },
  resend: { method: 'POST', suffix: '/resend-invitation' },
  disable: { method: 'POST', suffix: '/disable' },
  enable: { method: 'POST', suffix: '/enable' },
  'reset-mfa': { method: 'POST', suffix: '/reset-mfa' },
  'grant-admin': { method: 'POST', suffix: '/roles', body: { role: 'tenant-admin' } },
  'revoke-admin': { method: 'DELETE', suffix: '/roles/tenant-admin' },
};

await runAdminCli(usage, (command, [username], values) => {
  if (command === 'list') return { method: 'GET', path: `/admin/users${pageQuery(values)}` };
  if (!username) return undefined;
  if (command === 'invite')
    return { method: 'POST', path: '/admin/users', body: { username, email: values.email } };
  const action = actions[command];
  return action
    ? {
        method: action.method,
        path: `/admin/users/${encodeURIComponent(username)}${action.suffix}`,
        ...(action.body ? { body: action.body } : {}),
      }
    : undefined;
});
