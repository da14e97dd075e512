import type { StorageSignals } from '../storage/storage-signals.ts';

/**
 * "Some credential changed": an app was disabled or deleted, a secret or admin token deleted, a tenant
 * disabled or deleted. Verifiers drop what they remember, so the change takes effect on the next
 * request — in this process at once, and in every other process sharing a PostgreSQL database as soon
 * as its NOTIFY arrives.
 */
export interface CredentialEvents {
  credentialsChanged(): Promise<void>;
  onChange(listener: () => void): void;
}

const TOPIC = 'credentials';

export async function createCredentialEvents(signals: StorageSignals): Promise<CredentialEvents> {
  const listeners: (() => void)[] = [];
  const emit = () => {
    for (const listener of listeners) listener();
  };
  await signals.subscribe(TOPIC, emit);
  return {
    async credentialsChanged() {
      emit();
      await signals.publish(TOPIC);
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
