/**
 * tenants list|get|create|update|suspend|resume|offboard … — platform admins' side of the admin API, against
 * the running local system (--as platform-admin) or a deployed stage (--url, --token).
 */
import { numberOption, pageQuery, runAdminCli } from './admin-cli';

const usage = `Usage: tenants list [--limit N] [--cursor C]
       tenants get <tenantId>
       tenants create <tenantId> --name N --return-policy-days D --tier T --admin-username U --admin-email E
       tenants update <tenantId> [--name N] [--return-policy-days D] [--tier T]
       tenants suspend|resume <tenantId>
       tenants offboard <tenantId> --confirm <tenantId>   (deletes the tenant everywhere, for good)`;

const defined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

await runAdminCli(usage, (command, [tenantId], values) => {
  const tenant = tenantId ? `/admin/tenants/${encodeURIComponent(tenantId)}` : undefined;
  switch (command) {
    case 'list':
      return { method: 'GET', path: `/admin/tenants${pageQuery(values)}` };
    case 'get':
      return tenant ? { method: 'GET', path: tenant } : undefined;
    case 'create':
      return tenantId
        ? {
            method: 'POST',
            path: '/admin/tenants',
            body: defined({
              tenantId,
              name: values.name,
              returnPolicyDays: numberOption(values['return-policy-days']),
              tier: values.tier,
              firstAdmin: { username: values['admin-username'], email: values['admin-email'] },
            }),
          }
        : undefined;
    case 'update':
      return tenant
        ? {
            method: 'PATCH',
            path: tenant,
            body: defined({
              name: values.name,
              returnPolicyDays: numberOption(values['return-policy-days']),
              tier: values.tier,
            }),
          }
        : undefined;
    case 'suspend':
    case 'resume':
      return tenant ? { method: 'POST', path: `${tenant}/${command}` } : undefined;
    case 'offboard':
      return tenant
        ? { method: 'POST', path: `${tenant}/offboard`, body: { confirm: values.confirm } }
        : undefined;
    default:
      return undefined;
  }
});
