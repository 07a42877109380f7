/** The fast path: compiled rules as closures, for screening many records (see compile-fast.ts). */
export { compileFast, fastPathOf, evaluateFast, verdictFast, explainFast, type FastProtocol, type FastVerdict, type FastCriterionResult, type FastOptions } from './evaluate-fast.ts'
export { compileRuleSet, FastCompileError, type FastRuleSet } from './compile-fast.ts'
export { Screener, type ScreenResult, type ScreenOptions, type LineError } from './screen.ts'
