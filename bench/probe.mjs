// Preloaded into a benchmarked server (`node --import ./bench/probe.mjs …`): SIGUSR1 starts a
// measurement window (resets the event-loop delay histogram), SIGUSR2 writes the window's figures
// as JSON to $PROBE_FILE.
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
process.on('SIGUSR1', () => histogram.reset());
process.on('SIGUSR2', () => {
  const file = process.env.PROBE_FILE;
  if (!file) return;
  const figures = {
    loopDelayP50Ms: histogram.percentile(50) / 1e6,
    loopDelayP99Ms: histogram.percentile(99) / 1e6,
    loopDelayMaxMs: histogram.max / 1e6,
    rssBytes: process.memoryUsage().rss,
  };
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(figures));
  fs.renameSync(`${file}.tmp`, file);
});
