import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isRamActionAllowed } from './ram-action-permissions.ts';
import type { RamEmulatorState } from './ram-emulator-state.ts';
import { noPermission, RamRpcError, sendRpcError, sendRpcResult } from './ram-rpc-error.ts';
import { createRpcContext, createRpcParams, type RpcAction } from './rpc-action-context.ts';
import { RPC_GROUP_POLICY_ACTIONS } from './rpc-group-policy-actions.ts';
import { RPC_MFA_ACTIONS } from './rpc-mfa-actions.ts';
import { NONCE_WINDOW_MS } from './rpc-nonces.ts';
import { RPC_USER_ACTIONS } from './rpc-user-actions.ts';
import { parseAcs3Authorization, readQuery, verifyAcs3Signature } from './verify-acs3-signature.ts';

/** RAM's RPC API lives at the root of its own host (`https://ram.aliyuncs.com/`); here, at `/`. */
export const RPC_PATH = '/';
export const RAM_API_VERSION = '2015-05-01';

const ACTIONS: Record<string, RpcAction> = {
  ...RPC_USER_ACTIONS,
  ...RPC_MFA_ACTIONS,
  ...RPC_GROUP_POLICY_ACTIONS,
};

/**
 * RAM's OpenAPI (2015-05-01) as the official SDK (`@alicloud/ram20150501` on
 * `@alicloud/openapi-core`) calls it: `POST /?<params>` with `x-acs-action`, `x-acs-version`,
 * `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256` and an `ACS3-HMAC-SHA256`
 * Authorization header (V3 signature), checked exactly (`verify-acs3-signature.ts`) against the
 * secret of one of the emulator's configured AccessKeys. Each key is allowed a list of RAM policy
 * actions (`rpc-caller-keys.ts`); any other action answers `NoPermission` (403). Parameters come
 * from the query string and, when sent, a form body (covered by the payload hash). The older V2
 * (`Signature`/`SignatureMethod=HMAC-SHA1` query parameters) is not served: the SDK only sends it
 * when configured with `signatureAlgorithm: 'v2'`.
 */
export function registerRpcRoutes(app: FastifyInstance, state: RamEmulatorState): void {
  app.register(async (scope) => {
    // The raw body is needed for the payload hash: read every body as text.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) =>
      done(null, String(body)),
    );
    scope.route({
      method: ['GET', 'POST'],
      url: RPC_PATH,
      handler: async (request, reply) => {
        try {
          const action = authenticate(request, state);
          const context = createRpcContext(state, createRpcParams(readParams(request)));
          return sendRpcResult(reply, action(context));
        } catch (error) {
          if (error instanceof RamRpcError) return sendRpcError(reply, error);
          throw error;
        }
      },
    });
  });
}

/** Checks who is calling and whether they may; answers the action to run or throws RAM's refusal. */
function authenticate(request: FastifyRequest, state: RamEmulatorState): RpcAction {
  const authorization = parseAcs3Authorization(header(request, 'authorization'));
  if (authorization === undefined) {
    throw new RamRpcError(
      400,
      'IncompleteSignature',
      'The request signature does not conform to Aliyun standards. Send an ACS3-HMAC-SHA256 Authorization header.',
    );
  }
  const key = state.rpcKeys.find(authorization.accessKeyId);
  if (key === undefined)
    throw new RamRpcError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');

  const date = header(request, 'x-acs-date') ?? '';
  const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(date) ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(at)) {
    throw new RamRpcError(
      400,
      'InvalidTimeStamp.Format',
      'Specified time stamp or date value is not well formatted.',
    );
  }
  // The caller's clock is the real one: the emulator clock's advances (token expiry) do not apply.
  if (Math.abs(Date.now() - at) > NONCE_WINDOW_MS) {
    throw new RamRpcError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  }
  const nonce = header(request, 'x-acs-signature-nonce');
  if (nonce === undefined || nonce === '') {
    throw new RamRpcError(400, 'MissingSignatureNonce', 'SignatureNonce is mandatory for this action.');
  }
  const refusal = verifyAcs3Signature(
    {
      method: request.method,
      url: request.url,
      headers: request.headers,
      rawBody: typeof request.body === 'string' ? request.body : '',
    },
    authorization,
    key.accessKeySecret,
  );
  if (refusal !== undefined) throw new RamRpcError(400, refusal.code, refusal.message);
  if (!state.nonces.claim(nonce, Date.now())) {
    throw new RamRpcError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  }

  const version = header(request, 'x-acs-version');
  if (version !== RAM_API_VERSION) {
    throw new RamRpcError(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
  }
  const name = header(request, 'x-acs-action') ?? '';
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (action === undefined) {
    throw new RamRpcError(
      404,
      'InvalidAction.NotFound',
      'Specified api is not found, please check your url and method.',
    );
  }
  // Before the action runs, so before it looks up any user: a denied call on a user that does not
  // exist answers NoPermission, an allowed one EntityNotExist.User.
  if (!isRamActionAllowed(key.actions, name)) {
    throw noPermission(name, { accessKeyId: key.accessKeyId, accountId: state.directory.accountId });
  }
  return action;
}

function readParams(request: FastifyRequest): Map<string, string> {
  const params = readQuery(request.url);
  const type = header(request, 'content-type') ?? '';
  if (typeof request.body === 'string' && type.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(request.body))
      if (!params.has(key)) params.set(key, value);
  }
  return params;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The request as the journal keeps it: the action and parameters, a password never. */
export function describeRpcRequest(request: FastifyRequest): string {
  const params = [...readQuery(request.url)]
    .map(([key, value]) => `${key}=${key === 'Password' ? '***' : encodeURIComponent(value)}`)
    .join('&');
  return `${RPC_PATH}?Action=${header(request, 'x-acs-action') ?? ''}${params === '' ? '' : `&${params}`}`;
}
