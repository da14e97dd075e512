/** The fault proxy's own API under /_proxy, for a proxy running in another process. */
import type { ServerResponse } from 'node:http';
import { FaultPlanSchema } from './fault-plan.ts';
import type { FaultProxy } from './fault-proxy.ts';

export const CONTROL_PREFIX = '/_proxy';

/**
 * | route | does |
 * |---|---|
 * | `GET  /_proxy/journal` | the journal (`JournalEntry[]`), oldest first |
 * | `GET  /_proxy/plan` | the plan in force |
 * | `PUT  /_proxy/plan` | replaces the plan (`FaultPlanSchema`; paths as regex source); 400 if invalid |
 * | `POST /_proxy/reset` | empties the journal, back to pass-through |
 */
export function answerFaultProxyControl(
  proxy: FaultProxy,
  method: string,
  path: string,
  body: Buffer,
  response: ServerResponse,
): void {
  const route = `${method} ${path.slice(CONTROL_PREFIX.length).split('?')[0]}`;
  const send = (status: number, value?: unknown): void => {
    response.statusCode = status;
    if (value !== undefined) response.setHeader('content-type', 'application/json');
    response.end(value === undefined ? undefined : JSON.stringify(value));
  };
  try {
    if (route === 'GET /journal') send(200, proxy.journal());
    else if (route === 'GET /plan') send(200, proxy.plan());
    else if (route === 'POST /reset') {
      proxy.reset();
      send(204);
    } else if (route === 'PUT /plan') {
      const parsed = FaultPlanSchema.safeParse(JSON.parse(body.toString('utf8') || '{}'));
      if (!parsed.success) send(400, { error: 'invalid_plan', message: parsed.error.message });
      else {
        proxy.setPlan(parsed.data);
        send(204);
      }
    } else send(404, { error: 'not_found', message: `No control route ${route}` });
  } catch (error) {
    send(400, { error: 'bad_request', message: String(error) });
  }
}
