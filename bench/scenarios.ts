import { ENTERPRISE_USER_SCHEMA, PATCH_OP_SCHEMA } from '../src/scim/schema/schema-urns.ts';
import { benchUserId, benchUserName, buildUserDocument } from './seed-documents.ts';

/** One request of a scenario, with what a correct answer must contain. */
export interface ScenarioRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly path: string;
  readonly body?: string;
  /** A problem with the parsed JSON answer, or undefined when it is right. */
  check(answer: Record<string, unknown>): string | undefined;
}

export interface Scenario {
  readonly name: string;
  /** Which process answers: the Lockstep server or the bare `node:http` baseline. */
  readonly target: 'server' | 'bare';
  readonly expectedStatus: number;
  /** The throughput goal as a ratio to the bare server, when the issue sets one. */
  readonly goal?: number;
  nextRequest(): ScenarioRequest;
}

export interface ScenarioContext {
  readonly tenantId: string;
  readonly users: number;
}

const randomUser = (users: number) => 1 + Math.floor(Math.random() * users);

const expect = (what: string, actual: unknown, expected: unknown) =>
  actual === expected
    ? undefined
    : `${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;

/**
 * The load scenarios of the issue, in the order they run. The bare baseline sends exactly the filter
 * scenario's requests, so the load generator does the same work in both.
 * @see RFC 7644 §3.4.2 (filter), §3.4.1 (GET by id), §3.3 (POST), §3.5.2 (PATCH)
 */
export function createScenarios(context: ScenarioContext): Scenario[] {
  const base = `/t/${context.tenantId}/scim/v2/Users`;
  let nextNewUser = context.users + 1;
  let patchCounter = 0;

  const filterRequest = (): ScenarioRequest => {
    const n = randomUser(context.users);
    const filter = `userName eq "${benchUserName(n)}"`;
    return {
      method: 'GET',
      path: `${base}?filter=${encodeURIComponent(filter)}`,
      check: (answer) => {
        const [resource] = (answer.Resources ?? []) as Record<string, unknown>[];
        return (
          expect('totalResults', answer.totalResults, 1) ??
          expect('Resources[0].userName', resource?.userName, benchUserName(n)) ??
          expect('Resources[0].id', resource?.id, benchUserId(n))
        );
      },
    };
  };

  return [
    {
      name: 'bare node:http',
      target: 'bare',
      expectedStatus: 200,
      nextRequest: () => ({
        ...filterRequest(),
        check: (answer) => expect('totalResults', answer.totalResults, 1),
      }),
    },
    {
      name: 'GET filter userName eq',
      target: 'server',
      expectedStatus: 200,
      goal: 0.5,
      nextRequest: filterRequest,
    },
    {
      name: 'GET /Users/{id}',
      target: 'server',
      expectedStatus: 200,
      nextRequest: () => {
        const n = randomUser(context.users);
        return {
          method: 'GET',
          path: `${base}/${benchUserId(n)}`,
          check: (answer) =>
            expect('id', answer.id, benchUserId(n)) ?? expect('userName', answer.userName, benchUserName(n)),
        };
      },
    },
    {
      name: 'POST /Users',
      target: 'server',
      expectedStatus: 201,
      goal: 0.2,
      nextRequest: () => {
        // Numbers past the seeded range: unique userNames, same document shape as the seeded users.
        const doc = buildUserDocument(nextNewUser++);
        return {
          method: 'POST',
          path: base,
          body: JSON.stringify(doc),
          check: (answer) =>
            expect('userName', answer.userName, doc.userName) ??
            expect(
              'employeeNumber',
              (answer[ENTERPRISE_USER_SCHEMA] as Record<string, unknown> | undefined)?.employeeNumber,
              (doc[ENTERPRISE_USER_SCHEMA] as Record<string, unknown>).employeeNumber,
            ),
        };
      },
    },
    {
      name: 'PATCH /Users/{id}',
      target: 'server',
      expectedStatus: 200,
      nextRequest: () => {
        const n = randomUser(context.users);
        const displayName = `Patched User ${++patchCounter}`;
        const title = `Title ${patchCounter % 97}`;
        const body = {
          schemas: [PATCH_OP_SCHEMA],
          Operations: [
            { op: 'replace', path: 'displayName', value: displayName },
            { op: 'replace', path: 'title', value: title },
          ],
        };
        return {
          method: 'PATCH',
          path: `${base}/${benchUserId(n)}`,
          body: JSON.stringify(body),
          check: (answer) =>
            expect('displayName', answer.displayName, displayName) ?? expect('title', answer.title, title),
        };
      },
    },
  ];
}
