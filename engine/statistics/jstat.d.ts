/** Minimal types for the parts of `jstat` (untyped UMD/CommonJS) the statistics module uses. */
declare module 'jstat' {
  const jStat: {
    beta: {
      /** Quantile (inverse CDF) of Beta(alpha, beta) at probability `p`. */
      inv(p: number, alpha: number, beta: number): number
    }
    normal: {
      /** Quantile (inverse CDF) of Normal(mean, std) at probability `p`. */
      inv(p: number, mean: number, std: number): number
    }
  }
  export default jStat
}
