import type { Scenario } from './scenarios.ts';

const SAMPLE_REQUESTS = 10;

/**
 * Sends a few of the scenario's requests one at a time and checks status, media type and body, so a
 * scenario that measures errors (401, 404, a wrong answer) fails before it is timed. Throws with the
 * first problem found.
 */
export async function verifySample(
  url: string,
  scenario: Scenario,
  headers: Readonly<Record<string, string>>,
): Promise<void> {
  for (let i = 0; i < SAMPLE_REQUESTS; i++) {
    const request = scenario.nextRequest();
    const response = await fetch(`${url}${request.path}`, {
      method: request.method,
      headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
    const text = await response.text();
    const where = `${scenario.name}: ${request.method} ${request.path}`;
    if (response.status !== scenario.expectedStatus) {
      throw new Error(
        `${where} answered ${response.status}, expected ${scenario.expectedStatus}: ${text.slice(0, 500)}`,
      );
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('application/scim+json'))
      throw new Error(`${where} answered content-type "${type}"`);
    const problem = request.check(JSON.parse(text) as Record<string, unknown>);
    if (problem !== undefined) throw new Error(`${where}: ${problem}\n${text.slice(0, 500)}`);
  }
}
