/** What emitters produce: files, by path relative to the build's output folder. */
export interface OutputFile {
  /** Forward-slash path relative to the output folder, built only from validated ids. */
  path: string;
  content: string | Uint8Array;
}

/** Read by emitters that show or check other outputs (a checklist prints the script's hash). */
export interface EmitContext {
  /** SHA-256 (lower-case hex) of every file emitted so far, by path. */
  sha256: ReadonlyMap<string, string>;
}
