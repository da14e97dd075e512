import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { readProcessCpuSeconds, readProcessMemory, waitUntilIdle } from './process-stats.ts';

describe('process stats', { skip: process.platform !== 'linux' && 'reads /proc (Linux only)' }, () => {
  it('reads the RSS and its peak of a process', () => {
    const memory = readProcessMemory(process.pid);
    assert.ok(memory.rssBytes > 1024 * 1024);
    assert.ok(memory.peakRssBytes >= memory.rssBytes);
  });

  it('reads the CPU time a process used, in step with process.cpuUsage', () => {
    const before = readProcessCpuSeconds(process.pid);
    const start = process.cpuUsage();
    let x = 0;
    while ((process.cpuUsage(start).user + process.cpuUsage(start).system) / 1e6 < 0.3) x++;
    const spent = readProcessCpuSeconds(process.pid) - before;
    assert.ok(x > 0);
    assert.ok(spent >= 0.2 && spent < 1, `spent ${spent} s`);
  });

  it('waits until the processes given stop using CPU', async () => {
    // Busy for 1.2 s, then asleep.
    const child = spawn(process.execPath, [
      '-e',
      'const end = Date.now() + 1200; while (Date.now() < end); setTimeout(() => {}, 10_000);',
    ]);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const waited = await waitUntilIdle([child.pid as number], { windowMs: 200 });
      assert.ok(waited >= 0.9, `waited ${waited} s`);
      assert.ok(waited < 5, `waited ${waited} s`);
      const again = await waitUntilIdle([child.pid as number, 999_999_999], { windowMs: 200 });
      assert.ok(again < 0.5, `an idle process (and one that is gone) waited ${again} s`);
    } finally {
      child.kill();
      await once(child, 'exit');
    }
  });
});
