/**
 * The rules of a subject code as users read them (the server's are in
 * server/routes/subjects.ts codeOrThrow): one wording wherever a code is typed.
 */
export const CODE_HINT =
  'A pseudonymous code, never a name: 2 to 32 letters, digits or hyphens, starting with a letter or digit (e.g. S-001). Spaces are refused so that a name cannot be entered by mistake. Each code is used once per protocol.'
