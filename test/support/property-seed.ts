/**
 * The seed of property tests: RUNBOOKC_PROPERTY_SEED when set; fixed under CI=true so that a CI
 * failure reproduces (and a rare counterexample cannot fail one run in many); otherwise new each
 * run, so local runs keep exploring. fast-check names the seed of a failing run in its message.
 */
export function propertySeed(): number {
  const fromEnv = process.env.RUNBOOKC_PROPERTY_SEED;
  if (fromEnv !== undefined && fromEnv !== '') return Number.parseInt(fromEnv, 10);
  if (process.env.CI === 'true') return 20261126;
  return Date.now() % 2147483647;
}
