import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { busiestSecond } from '../../../test/support/busiest-second.ts';
import { createScimClient } from './create-scim-client.ts';
import { bookSlot, createMemoryPacer, createStartLog, type RateLimit } from './request-pacer.ts';

describe('bookSlot (GCRA as a booking)', () => {
  const book = (limit: RateLimit, times: readonly number[]) => {
    let tat: number | undefined;
    return times.map((now) => {
      const booked = bookSlot(tat, now, limit);
      tat = booked.nextTat;
      return Math.round(booked.slot * 1000) / 1000;
    });
  };

  it('spaces requests that come together one interval apart', () => {
    assert.deepEqual(book({ requestsPerSecond: 20 }, [0, 0, 0, 0]), [0, 52.5, 105, 157.5]);
    const slots = book(
      { requestsPerSecond: 20 },
      Array.from({ length: 60 }, () => 0),
    );
    assert.equal(busiestSecond(slots), 20);
    assert.equal(slots.at(-1), 59 * 52.5, 'spaced 5 % wider than the rate: a margin for late starts');
  });

  it('lets a burst through after a quiet spell, then paces', () => {
    assert.deepEqual(book({ requestsPerSecond: 10, burst: 3 }, [0, 0, 0, 0, 0]), [0, 0, 0, 105, 210]);
    // A quiet second banks the burst again, never more.
    assert.deepEqual(
      book({ requestsPerSecond: 10, burst: 3 }, [0, 0, 0, 2000, 2000, 2000, 2000]),
      [0, 0, 0, 2000, 2000, 2000, 2105],
    );
  });

  it('sends at once while under the rate', () => {
    assert.deepEqual(book({ requestsPerSecond: 2 }, [0, 600, 1200]), [0, 600, 1200]);
  });
});

describe('createStartLog', () => {
  it('holds back starts that a stall let go together, so no second holds more than the limit', () => {
    const admit = createStartLog(() => ({ requestsPerSecond: 3 }));
    assert.equal(admit(0), 0);
    assert.equal(admit(350), 0);
    // The third slot fired late, together with the fourth: the fourth waits for the window to pass.
    assert.equal(admit(1000), 0);
    assert.equal(admit(1001), 49, 'the first start + 1050 ms (a second and the margin)');
    assert.equal(admit(1050), 0);
  });
});

describe('the SCIM client with a pacer', () => {
  it('waits for each slot before sending, and no request fails for it', async () => {
    let clock = 0;
    const sent: number[] = [];
    const pacer = createMemoryPacer(
      () => ({ requestsPerSecond: 20 }),
      () => clock,
    );
    const client = createScimClient(
      { baseUrl: 'https://target.example.test/scim/v2', authentication: { kind: 'bearer', token: 't' } },
      {
        pacer,
        now: () => clock,
        sleep: async (ms) => {
          clock += ms;
        },
        fetch: async () => {
          sent.push(clock);
          return new Response(JSON.stringify({ Resources: [], totalResults: 0 }), {
            status: 200,
            headers: { 'content-type': 'application/scim+json' },
          });
        },
      },
    );
    const answers = [];
    for (let index = 0; index < 30; index++) answers.push(await client.request('GET', '/Users'));
    assert.ok(answers.every((answer) => answer.ok));
    assert.deepEqual(
      sent.slice(0, 3),
      [0, 52.5, 105],
      'the second request waited one interval, the third two',
    );
    assert.equal(busiestSecond(sent), 20);
  });
});
