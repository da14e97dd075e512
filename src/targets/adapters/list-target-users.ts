import type { TargetCapabilities } from '../profiles/target-profile.ts';
import type { ScimClient } from '../scim-client/create-scim-client.ts';
import { createScimClientError, type ScimClientError } from '../scim-client/scim-client-error.ts';

/**
 * Where a listing of `/Users` stands: the first page, or where the previous page said to go on. A
 * position is plain JSON, so a run can store it and resume after a crash.
 */
export type UserListPosition =
  | { readonly kind: 'start' }
  /** RFC 7644 §3.4.2.4: the 1-based index of the next resource. */
  | { readonly kind: 'index'; readonly startIndex: number }
  /** RFC 9865: the `nextCursor` of the previous page. */
  | { readonly kind: 'cursor'; readonly cursor: string };

export interface UserPage {
  readonly accounts: readonly { readonly id: string; readonly document: Record<string, unknown> }[];
  /** Where the next page starts; undefined when this was the last one. */
  readonly next: UserListPosition | undefined;
  /** What the target said the whole listing holds, when it said so (it may be wrong). */
  readonly totalResults: number | undefined;
  /**
   * False when the target pages nothing (`paging.kind` `none`) and said it holds more than this one
   * page gave: the listing is known to be partial.
   */
  readonly complete: boolean;
}

export type UserPageResult = { ok: true; value: UserPage } | { ok: false; error: ScimClientError };

export interface ListUsersOptions {
  /** At most the profile's `maxPageSize`; the profile's largest page when absent. */
  readonly pageSize?: number;
  /** Cursors the listing already went through (a target answering one again is refused). */
  readonly seenCursors?: ReadonlySet<string>;
}

/** `listUsersPage` bound to one target (the adapter's `listUsers`). */
export type ListUsersPage = (
  position: UserListPosition,
  options?: ListUsersOptions,
) => Promise<UserPageResult>;

const NO_RETRY = {
  retryPolicy: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
} as const;

/**
 * One page of the target's users, paged the way its profile allows: startIndex/count (RFC 7644
 * §3.4.2.4), a cursor (RFC 9865; AWS Identity Center), or one unpaged request. The page size stays
 * within the profile's `maxPageSize`. Targets are not trusted to say when a listing ends:
 * - index paging ends on an empty page, or on a short page (fewer than asked and than the target's
 *   `itemsPerPage`) that `totalResults` agrees is the end; a `totalResults` that is too small does not
 *   end a listing that still returns full pages, and one that is too large costs one empty page;
 * - cursor paging ends when `nextCursor` is absent or empty; a cursor the target already gave is an
 *   error (`bad_response`), never a loop.
 * Every outcome is a value; retrying is the caller's decision.
 */
export async function listUsersPage(
  client: ScimClient,
  capabilities: TargetCapabilities,
  position: UserListPosition,
  options: ListUsersOptions = {},
): Promise<UserPageResult> {
  const { paging } = capabilities;
  const count = Math.max(1, Math.min(options.pageSize ?? paging.maxPageSize, paging.maxPageSize));
  const query = new URLSearchParams();
  if (paging.kind === 'index') {
    query.set('startIndex', String(position.kind === 'index' ? position.startIndex : 1));
    query.set('count', String(count));
  } else if (paging.kind === 'cursor') {
    query.set('count', String(count));
    if (position.kind === 'cursor') query.set('cursor', position.cursor);
  }
  const path = `/Users${query.size > 0 ? `?${query}` : ''}`;
  const answer = await client.request('GET', path, undefined, NO_RETRY);
  if (!answer.ok) return answer;
  const body = answer.body as
    | { Resources?: unknown; totalResults?: unknown; itemsPerPage?: unknown; nextCursor?: unknown }
    | undefined;
  const resources = body?.Resources ?? [];
  if (!Array.isArray(resources)) return badPage('Resources is not a list');
  const accounts: { id: string; document: Record<string, unknown> }[] = [];
  for (const item of resources as unknown[]) {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || id === '') return badPage('a resource has no id');
    accounts.push({ id, document: item as Record<string, unknown> });
  }
  const totalResults = wholeNumber(body?.totalResults);

  if (paging.kind === 'cursor') {
    const nextCursor = typeof body?.nextCursor === 'string' ? body.nextCursor : '';
    if (nextCursor === '') return page(accounts, undefined, totalResults, true);
    const previous = position.kind === 'cursor' ? position.cursor : undefined;
    if (nextCursor === previous || options.seenCursors?.has(nextCursor) === true)
      return badPage(`the target answered a nextCursor it gave before (${nextCursor.slice(0, 40)})`);
    return page(accounts, { kind: 'cursor', cursor: nextCursor }, totalResults, true);
  }
  if (paging.kind === 'none')
    return page(
      accounts,
      undefined,
      totalResults,
      totalResults === undefined || totalResults <= accounts.length,
    );

  const startIndex = position.kind === 'index' ? position.startIndex : 1;
  if (accounts.length === 0) return page(accounts, undefined, totalResults, true);
  const itemsPerPage = wholeNumber(body?.itemsPerPage);
  const asked = itemsPerPage !== undefined && itemsPerPage > 0 ? Math.min(count, itemsPerPage) : count;
  const reached = startIndex - 1 + accounts.length;
  const short = accounts.length < asked;
  const ended = short && (totalResults === undefined || reached >= totalResults);
  return page(
    accounts,
    ended ? undefined : { kind: 'index', startIndex: startIndex + accounts.length },
    totalResults,
    true,
  );
}

/**
 * Every user of the target, page by page (see `listUsersPage`), stopping at the first failure, which
 * is yielded as the last item. A target that repeats a whole page of ids it already listed (one that
 * ignores `startIndex`) ends the listing with a `bad_response`.
 */
export async function* listAllUsers(
  listPage: ListUsersPage,
  options: { pageSize?: number; from?: UserListPosition } = {},
): AsyncGenerator<UserPageResult> {
  const seenCursors = new Set<string>();
  const seenIds = new Set<string>();
  let position: UserListPosition | undefined = options.from ?? { kind: 'start' };
  while (position !== undefined) {
    const result = await listPage(position, {
      seenCursors,
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    });
    if (!result.ok) {
      yield result;
      return;
    }
    const { accounts, next } = result.value;
    if (accounts.length > 0 && accounts.every((account) => seenIds.has(account.id))) {
      yield badPage('the target answered a page of users it had already listed (does it ignore startIndex?)');
      return;
    }
    for (const account of accounts) seenIds.add(account.id);
    if (next?.kind === 'cursor') seenCursors.add(next.cursor);
    yield result;
    position = next;
  }
}

function page(
  accounts: UserPage['accounts'],
  next: UserListPosition | undefined,
  totalResults: number | undefined,
  complete: boolean,
): UserPageResult {
  return { ok: true, value: { accounts, next, totalResults, complete } };
}

function wholeNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

function badPage(why: string): { ok: false; error: ScimClientError } {
  return {
    ok: false,
    error: createScimClientError({
      kind: 'bad_response',
      phase: 'scim',
      request: 'GET /Users',
      message: `GET /Users: ${why}`,
    }),
  };
}
