import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { describe, it } from 'node:test';
import { cpusOf, pinProcess } from './cpu-pinning.ts';

const unable = process.platform !== 'linux' ? 'Linux only' : cpus().length < 2 ? 'needs two CPUs' : false;

describe('pinning a benchmark process to a CPU', { skip: unable }, () => {
  it('binds a running process, threads included, to the CPU given', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      pinProcess(child.pid as number, 1);
      assert.equal(cpusOf(child.pid as number), '1');
      pinProcess(child.pid as number, 0);
      assert.equal(cpusOf(child.pid as number), '0');
    } finally {
      child.kill();
    }
  });

  it('says so when the process does not exist', () => {
    assert.throws(() => pinProcess(2 ** 22 + 12345, 0), /taskset could not bind process/);
  });
});
