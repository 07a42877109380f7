/** The part of autocannon's API the HTTP bench uses (no @types/autocannon installed). */
declare module 'autocannon' {
  export interface Stats {
    average: number
    mean: number
    stddev: number
    min: number
    max: number
    p50: number
    p90: number
    p99: number
    total: number
  }
  export interface Options {
    url: string
    connections?: number
    /** Seconds. */
    duration?: number
    method?: 'GET' | 'POST' | 'PUT'
    headers?: Record<string, string>
    body?: string
    pipelining?: number
  }
  export interface Result {
    requests: Stats & { sent: number }
    latency: Stats
    throughput: Stats
    errors: number
    timeouts: number
    non2xx: number
    '2xx': number
    duration: number
  }
  function autocannon(options: Options): Promise<Result>
  export default autocannon
}
