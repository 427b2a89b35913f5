/**
 * The one ajv configuration: strict (unknown keywords are schema bugs), allErrors (authors fix
 * every problem of a file in one pass), verbose (messages can list the allowed properties).
 * strictRequired is off because the step kind is `oneOf: [{required: [run]}, ...]`, with the
 * properties defined once on the step rather than repeated in every branch.
 */
export const AJV_OPTIONS = { strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true, verbose: true } as const;
