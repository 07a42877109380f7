/** The repository's root directory, for the web tests that read its files. */
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
