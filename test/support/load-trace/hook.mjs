// Module customization hook: reports every ES module file Node loads, one `LOADED <url>` line on
// stderr, so a test can see what a command actually loaded.
export async function load(url, context, next) {
  if (url.startsWith('file:')) process._rawDebug(`LOADED ${url}`);
  return next(url, context);
}
