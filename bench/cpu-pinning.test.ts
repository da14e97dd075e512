import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { describe, it } from 'node:test';
import { cpuSet, cpusOf, pinProcess, unpinProcess } from './cpu-pinning.ts';

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
      unpinProcess(child.pid as number);
      assert.equal(cpuSet(cpusOf(child.pid as number)), cpuSet(`0-${cpus().length - 1}`));
    } finally {
      child.kill();
    }
  });

  it('reads CPU lists as the CPUs they name', () => {
    assert.equal(cpuSet('0-3,6'), '0,1,2,3,6');
    assert.equal(cpuSet('1,0'), '0,1');
    assert.equal(cpuSet('0-1'), cpuSet('0,1'));
  });

  it('says so when the process does not exist', () => {
    assert.throws(() => pinProcess(2 ** 22 + 12345, 0), /taskset could not bind process/);
  });
});
