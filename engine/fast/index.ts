/** The fast backend: criteria compiled to closures, for screening many records (see compile-fast.ts). */
export { compileFast, fastBackend } from './evaluate-fast.ts'
export { Screener, isBlankLine, type ScreenResult, type ScreenOptions, type LineError } from './screen.ts'
