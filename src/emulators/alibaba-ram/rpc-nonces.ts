/**
 * `x-acs-signature-nonce` values seen within the accepted timestamp window: a nonce used twice is
 * `SignatureNonceUsed`, Alibaba Cloud's replay protection.
 */
export const NONCE_WINDOW_MS = 15 * 60 * 1000;

export interface RpcNonces {
  /** False when the nonce was already used within the window; records it otherwise. */
  claim(nonce: string, now: number): boolean;
  clear(): void;
}

export function createRpcNonces(): RpcNonces {
  const seen = new Map<string, number>();
  return {
    claim(nonce, now) {
      for (const [known, at] of seen) {
        if (now - at <= NONCE_WINDOW_MS) break;
        seen.delete(known);
      }
      if (seen.has(nonce)) return false;
      seen.set(nonce, now);
      return true;
    },
    clear() {
      seen.clear();
    },
  };
}
