import {
  isLiveTenant as isLive,
  type StoredTenant,
  type TenantRecord,
} from '@tenant-assistant/contracts/admin';
import { detailSchemas } from '@tenant-assistant/contracts/events';
import { TENANT_TIERS, type TenantTier } from '@tenant-assistant/tenant-context/tiers';
import { type FormEvent, useId, useState } from 'react';
import type { AdminClient, TenantFields } from '../admin/admin-client';
import { usePages } from './Paged';
import { PagedTable } from './Table';
import { noticeProps, useRequest } from './use-request';

const TENANT_COLUMNS = ['Tenant', 'Name', 'Return policy', 'Tier', 'Status', 'Actions'];

/** The contract's bounds of a return policy (the API checks them; the fields only hint). */
const DAYS = detailSchemas.TenantOnboarded.shape.returnPolicyDays;

const fieldsOf = (form: HTMLFormElement): TenantFields => {
  const data = new FormData(form);
  return {
    name: String(data.get('name')),
    returnPolicyDays: Number(data.get('returnPolicyDays')),
    tier: String(data.get('tier')) as TenantTier,
  };
};

/** Name, return policy and tier fields, for a new tenant and for an edit. */
const DefinitionFields = ({ tenant }: { tenant?: TenantRecord }) => {
  const id = useId();
  return (
    <>
      <div>
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} name="name" required maxLength={128} defaultValue={tenant?.name} />
      </div>
      <div>
        <label htmlFor={`${id}-days`}>Return policy (days)</label>
        <input
          id={`${id}-days`}
          name="returnPolicyDays"
          type="number"
          required
          min={DAYS.minValue ?? undefined}
          max={DAYS.maxValue ?? undefined}
          step={1}
          defaultValue={tenant?.returnPolicyDays}
        />
      </div>
      <div>
        <label htmlFor={`${id}-tier`}>Tier</label>
        <select id={`${id}-tier`} name="tier" defaultValue={tenant?.tier ?? TENANT_TIERS[0]}>
          {TENANT_TIERS.map((tier) => (
            <option key={tier} value={tier}>
              {tier}
            </option>
          ))}
        </select>
      </div>
    </>
  );
};

/**
 * A platform admin's tenants: list by pages, create (with its first tenant admin, who gets the
 * invitation), edit name / return policy / tier, suspend / resume, and offboard — only after the
 * tenant id is typed again (the API also requires `{"confirm": "<id>"}`).
 */
export const AdminTenants = ({ admin }: { admin: AdminClient }) => {
  const request = useRequest();
  const { run, busy } = request;
  const { page, load, show } = usePages(
    request,
    (cursor) => admin.listTenants(cursor),
    (tenant: StoredTenant) => tenant.tenantId,
  );
  const [editing, setEditing] = useState<string>();
  const [offboarding, setOffboarding] = useState<string>();
  const [typed, setTyped] = useState('');
  const id = useId();

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const tenantId = String(data.get('tenantId')).trim();
    const created = await run(
      () =>
        admin.createTenant({
          tenantId,
          ...fieldsOf(form),
          firstAdmin: {
            username: String(data.get('adminUsername')).trim(),
            email: String(data.get('adminEmail')).trim(),
          },
        }),
      (tenant) => `Tenant ${tenant.tenantId} was created; its first admin was sent an invitation.`,
    );
    if (!created) return;
    form.reset();
    show(created);
  };

  const save = async (event: FormEvent<HTMLFormElement>, tenantId: string) => {
    event.preventDefault();
    const updated = await run(
      () => admin.updateTenant(tenantId, fieldsOf(event.currentTarget)),
      (tenant) => `Tenant ${tenant.tenantId} was saved.`,
    );
    if (!updated) return;
    setEditing(undefined);
    show(updated);
  };

  const setSuspended = async (tenantId: string, suspended: boolean) => {
    const changed = await run(
      () => admin.setTenantSuspended(tenantId, suspended),
      (tenant) =>
        suspended
          ? `Tenant ${tenant.tenantId} is suspended: its users cannot sign in.`
          : `Tenant ${tenant.tenantId} is active again.`,
    );
    if (changed) show(changed);
  };

  const offboard = async (tenantId: string) => {
    const changed = await run(
      () => admin.offboardTenant(tenantId, typed),
      (tenant) => `Offboarding of ${tenant.tenantId} has begun: every service deletes its data.`,
    );
    if (!changed) return;
    setOffboarding(undefined);
    setTyped('');
    show(changed);
  };

  return (
    <section aria-labelledby={`${id}-heading`} className="admin-section">
      <h2 id={`${id}-heading`}>Tenants</h2>

      <form className="admin-form" onSubmit={(event) => void create(event)}>
        <h3>Create a tenant</h3>
        <div className="admin-fields">
          <div>
            <label htmlFor={`${id}-tenant-id`}>Tenant id</label>
            <input id={`${id}-tenant-id`} name="tenantId" required maxLength={63} autoComplete="off" />
          </div>
          <DefinitionFields />
          <div>
            <label htmlFor={`${id}-admin-username`}>First admin's username</label>
            <input
              id={`${id}-admin-username`}
              name="adminUsername"
              required
              maxLength={128}
              autoComplete="off"
            />
          </div>
          <div>
            <label htmlFor={`${id}-admin-email`}>First admin's email</label>
            <input
              id={`${id}-admin-email`}
              name="adminEmail"
              type="email"
              required
              maxLength={254}
              autoComplete="off"
            />
          </div>
        </div>
        <button type="submit" className="primary" disabled={busy}>
          Create tenant
        </button>
      </form>

      {request.notice && <p {...noticeProps(request.notice)}>{request.notice.text}</p>}

      <PagedTable
        noun="tenants"
        pagerLabel="Tenant pages"
        columns={TENANT_COLUMNS}
        busy={busy}
        page={page}
        load={load}
        row={(tenant) => (
          <tr key={tenant.tenantId} data-tenant-id={tenant.tenantId}>
            <th scope="row">{tenant.tenantId}</th>
            <td>{isLive(tenant) ? tenant.name : '—'}</td>
            <td>{isLive(tenant) ? `${tenant.returnPolicyDays} days` : '—'}</td>
            <td>{isLive(tenant) ? tenant.tier : '—'}</td>
            <td>{tenant.status}</td>
            <td className="row-actions">
              {isLive(tenant) && editing === tenant.tenantId && (
                <form
                  className="admin-form inline"
                  aria-label={`Edit ${tenant.tenantId}`}
                  onSubmit={(event) => void save(event, tenant.tenantId)}
                >
                  <DefinitionFields tenant={tenant} />
                  <button type="submit" className="primary" disabled={busy}>
                    Save
                  </button>
                  <button type="button" disabled={busy} onClick={() => setEditing(undefined)}>
                    Cancel
                  </button>
                </form>
              )}
              {isLive(tenant) && editing !== tenant.tenantId && (
                <>
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={`Edit ${tenant.tenantId}`}
                    onClick={() => setEditing(tenant.tenantId)}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={`${tenant.status === 'SUSPENDED' ? 'Resume' : 'Suspend'} ${tenant.tenantId}`}
                    onClick={() => void setSuspended(tenant.tenantId, tenant.status !== 'SUSPENDED')}
                  >
                    {tenant.status === 'SUSPENDED' ? 'Resume' : 'Suspend'}
                  </button>
                  {offboarding !== tenant.tenantId && (
                    <button
                      type="button"
                      className="danger"
                      disabled={busy}
                      aria-label={`Offboard ${tenant.tenantId}`}
                      onClick={() => {
                        setOffboarding(tenant.tenantId);
                        setTyped('');
                      }}
                    >
                      Offboard
                    </button>
                  )}
                </>
              )}
              {isLive(tenant) && offboarding === tenant.tenantId && (
                <fieldset className="confirm">
                  <legend>Offboard {tenant.tenantId}</legend>
                  <p>
                    Offboarding deletes every user, answer, order and file of {tenant.tenantId} and cannot be
                    undone. Type <strong>{tenant.tenantId}</strong> to confirm.
                  </p>
                  <label htmlFor={`${id}-confirm-${tenant.tenantId}`}>Tenant id to offboard</label>
                  <input
                    id={`${id}-confirm-${tenant.tenantId}`}
                    value={typed}
                    autoComplete="off"
                    onChange={(event) => setTyped(event.target.value)}
                  />
                  <button
                    type="button"
                    className="danger"
                    disabled={busy || typed !== tenant.tenantId}
                    onClick={() => void offboard(tenant.tenantId)}
                  >
                    Offboard {tenant.tenantId} for good
                  </button>
                  <button type="button" disabled={busy} onClick={() => setOffboarding(undefined)}>
                    Cancel
                  </button>
                </fieldset>
              )}
            </td>
          </tr>
        )}
      />
    </section>
  );
};
