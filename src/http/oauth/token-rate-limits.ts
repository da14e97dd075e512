import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Token-endpoint limits per source IP and per app (the client id a request names, authenticated or
 * not, so guessing one app's secret from many addresses is limited too). Counted per process.
 */
export function createTokenRateLimits(limits: { perIp: number; perApp: number }) {
  const perIp = new RateLimiterMemory({ points: limits.perIp, duration: 60 });
  const perApp = new RateLimiterMemory({ points: limits.perApp, duration: 60 });
  return {
    /** Undefined when allowed; else the seconds to wait. */
    async check(ip: string, appKey: string | undefined): Promise<number | undefined> {
      try {
        await perIp.consume(ip);
        if (appKey !== undefined) await perApp.consume(appKey);
        return undefined;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw rejection;
      }
    },
  };
}

export type TokenRateLimits = ReturnType<typeof createTokenRateLimits>;
