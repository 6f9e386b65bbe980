import type { ReactNode } from 'react';
import { Pager, type ShownPage } from './Paged';

/** A table whose head is one row of column names; `children` are the body's rows. */
export const Table = ({
  className,
  columns,
  children,
}: {
  className: string;
  columns: readonly string[];
  children: ReactNode;
}) => (
  <table className={className}>
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
      </tr>
    </thead>
    <tbody>{children}</tbody>
  </table>
);

/**
 * An admin list read page by page: “Loading …” before its first page, “No … on this page.” for an
 * empty one, else the table of the page's items (one `row` each), and the {@link Pager} under it.
 */
export const PagedTable = <T,>({
  noun,
  pagerLabel,
  columns,
  busy,
  page,
  load,
  row,
}: {
  /** What the list holds, in the plural (“tenants”). */
  noun: string;
  pagerLabel: string;
  columns: readonly string[];
  busy: boolean;
  page: ShownPage<T> | undefined;
  load: (cursor?: string) => Promise<void>;
  row: (item: T) => ReactNode;
}) => (
  <>
    {!page && busy && <p role="status">{`Loading ${noun}…`}</p>}
    {page && page.items.length === 0 && <p className="empty">{`No ${noun} on this page.`}</p>}
    {page && page.items.length > 0 && (
      <div className="table-scroll">
        <Table className="admin-table" columns={columns}>
          {page.items.map(row)}
        </Table>
      </div>
    )}
    <Pager label={pagerLabel} busy={busy} page={page} load={load} />
  </>
);
