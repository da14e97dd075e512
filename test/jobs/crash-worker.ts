import { openStorage } from '../../src/storage/open-storage.ts';
import { effectHandler } from './effect-handler.ts';
import { openQueueAt, type QueueAddress } from './job-queue-implementations.ts';

/**
 * A worker process for the crash test: `crash-worker.ts '<QueueAddress JSON>'`. It runs `effect` jobs
 * until it is killed.
 */
const address = JSON.parse(process.argv[2] ?? '') as QueueAddress;
const storage = await openStorage(address.storage);
const queue = await openQueueAt(storage, address);
queue.startWorker({ handlers: { effect: effectHandler(storage) }, concurrency: 4, pollIntervalMs: 50 });
process.stdout.write('ready\n');
