import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FaultSchema } from './fault-injector.ts';
import type { RamEmulatorState } from './ram-emulator-state.ts';
import {
  DEPENDENT_KINDS,
  type DependentKind,
  EVERY_SPECIAL_STATE,
  RamDependentsSeedSchema,
  RamUserSeedSchema,
} from './ram-seed.ts';
import type { RamUser } from './ram-user.ts';
import { RpcCallerKeySchema } from './rpc-caller-keys.ts';

/** Not RAM's: the emulator's own API for tests that run it as a separate process. */
export const CONTROL_PREFIX = '/_emulator';

const OauthAppSchema = z.strictObject({
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  scopes: z.array(z.string().min(1)).optional(),
  accessTokenValiditySeconds: z.number().positive().optional(),
});
const RevokeSchema = z.strictObject({ clientId: z.string().min(1).optional() });
const ClockSchema = z.strictObject({ advanceSeconds: z.number().min(0) });
const KindsSchema = z.array(z.enum(DEPENDENT_KINDS));

/**
 * Seeding and inspection over HTTP, mirroring the in-process state API:
 *
 * | route | does |
 * |---|---|
 * | `GET  /_emulator/state` | users with dependents and logon names, apps (no secrets), token count |
 * | `POST /_emulator/reset` | no users, tokens, faults or journal; the initial apps; the wall clock |
 * | `POST /_emulator/users` | seed a user (`RamUserSeedSchema`; `source` defaults to `console`; `dependents: "every"`) |
 * | `GET  /_emulator/users/:id` | one user with its dependents |
 * | `POST /_emulator/users/:id/dependents` | add dependents (`RamDependentsSeedSchema`) |
 * | `POST /_emulator/users/:id/special-states` | add every special state at once (`EVERY_SPECIAL_STATE`) |
 * | `GET  /_emulator/account` | groups, policies, virtual MFA devices (no seeds), RPC AccessKeys (no secrets) |
 * | `POST /_emulator/access-keys` | add an RPC caller AccessKey (`{accessKeyId?, accessKeySecret?, permission? \| actions?}`, e.g. `actions: ["ram:Get*", "ram:DeleteUser"]`; answers its secret) |
 * | `DELETE /_emulator/users/:id/dependents?kinds=accessKeys,policies` | clear some or all |
 * | `POST /_emulator/oauth-apps` | add an OAuth app (answers its secret) |
 * | `POST /_emulator/tokens/revoke` | invalidate issued tokens (`{clientId?}`) |
 * | `POST /_emulator/clock` | move time forward (`{advanceSeconds}`) |
 * | `GET/POST/DELETE /_emulator/faults` | list, add (`FaultSchema`), clear faults |
 * | `GET/DELETE /_emulator/requests` | the request journal |
 *
 * Bad input answers 400 `{error, message}`; an unknown user 404.
 */
export function registerControlRoutes(app: FastifyInstance, state: RamEmulatorState): void {
  const { directory } = state;
  const withLogonName = (user: RamUser) => ({
    ...user,
    principalName: `${user.userName}@${directory.defaultDomain}`,
  });
  const findUser = (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const user = directory.getUser(request.params.id);
    if (user === undefined)
      void sendControlError(reply, 404, 'not_found', `No RAM user with id ${request.params.id}`);
    return user;
  };

  app.get(`${CONTROL_PREFIX}/state`, async () => state.snapshot());
  app.post(`${CONTROL_PREFIX}/reset`, async (_request, reply) => {
    state.reset();
    return reply.code(204).send();
  });

  app.post(`${CONTROL_PREFIX}/users`, async (request, reply) => {
    const user = directory.seedUser(RamUserSeedSchema.parse(request.body));
    return reply.code(201).send(withLogonName(user));
  });
  app.get(
    `${CONTROL_PREFIX}/users/:id`,
    async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const user = findUser(request, reply);
      return user === undefined ? reply : withLogonName(user);
    },
  );
  app.post(
    `${CONTROL_PREFIX}/users/:id/dependents`,
    async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
      if (findUser(request, reply) === undefined) return reply;
      return withLogonName(
        directory.addDependents(request.params.id, RamDependentsSeedSchema.parse(request.body)),
      );
    },
  );
  app.post(
    `${CONTROL_PREFIX}/users/:id/special-states`,
    async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
      if (findUser(request, reply) === undefined) return reply;
      return withLogonName(
        directory.addDependents(request.params.id, RamDependentsSeedSchema.parse(EVERY_SPECIAL_STATE)),
      );
    },
  );
  app.get(`${CONTROL_PREFIX}/account`, async () => ({
    accountId: directory.accountId,
    groups: state.catalog.listGroups(),
    policies: state.catalog.listPolicies(),
    virtualMfaDevices: state.catalog.listMfaDevices().map(({ base32StringSeed: _seed, ...device }) => device),
    accessKeys: state.rpcKeys.list(),
  }));
  app.post(`${CONTROL_PREFIX}/access-keys`, async (request, reply) =>
    reply.code(201).send(state.rpcKeys.add(RpcCallerKeySchema.parse(request.body ?? {}))),
  );
  app.delete(
    `${CONTROL_PREFIX}/users/:id/dependents`,
    async (request: FastifyRequest<{ Params: { id: string }; Querystring: { kinds?: string } }>, reply) => {
      if (findUser(request, reply) === undefined) return reply;
      const kinds: DependentKind[] = KindsSchema.parse(request.query.kinds?.split(',').filter(Boolean) ?? []);
      return withLogonName(directory.clearDependents(request.params.id, kinds));
    },
  );

  app.post(`${CONTROL_PREFIX}/oauth-apps`, async (request, reply) =>
    reply.code(201).send(state.oauth.addApp(OauthAppSchema.parse(request.body ?? {}))),
  );
  app.post(`${CONTROL_PREFIX}/tokens/revoke`, async (request) => {
    const { clientId } = RevokeSchema.parse(request.body ?? {});
    return { revoked: state.oauth.revokeTokens(clientId) };
  });
  app.post(`${CONTROL_PREFIX}/clock`, async (request) => {
    state.clock.advance(ClockSchema.parse(request.body).advanceSeconds * 1000);
    return { now: new Date(state.clock.now()).toISOString() };
  });

  app.get(`${CONTROL_PREFIX}/faults`, async () => state.faults.list());
  app.post(`${CONTROL_PREFIX}/faults`, async (request, reply) =>
    reply.code(201).send(state.faults.add(FaultSchema.parse(request.body ?? {}))),
  );
  app.delete(`${CONTROL_PREFIX}/faults`, async (_request, reply) => {
    state.faults.clear();
    return reply.code(204).send();
  });

  app.get(`${CONTROL_PREFIX}/requests`, async () => state.journal.list());
  app.delete(`${CONTROL_PREFIX}/requests`, async (_request, reply) => {
    state.journal.clear();
    return reply.code(204).send();
  });
}

export function sendControlError(
  reply: FastifyReply,
  status: number,
  error: string,
  message: string,
): FastifyReply {
  return reply.code(status).type('application/json').send({ error, message });
}
