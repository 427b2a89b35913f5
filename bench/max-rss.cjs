// Preloaded into each measured process (node --require): reports the process's peak resident
// set size (getrusage maxrss, in KB on Linux) on stderr as the last line, for bench/run.mjs.
process.on('exit', () => {
  process.stderr.write(`\nBENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
