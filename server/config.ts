/**
 * Settings from the environment, with defaults in one place.
 */
import { join, resolve } from 'node:path'
import { DEFAULT_CPU_BUDGET_MS } from './workers/cpu-pool.ts'

/**
 * Largest FHIR Bundle POST /fhir/patient accepts by default, in bytes. A
 * patient's whole history is large by nature: 42 % of Synthea R4 bundles
 * exceed the 1 MiB other routes accept, the largest seen ~4 MB.
 */
export const DEFAULT_MAX_FHIR_BODY_BYTES = 32 * 1024 * 1024

export interface ServerConfig {
  host: string
  port: number
  dataDir: string
  protocolsDir: string
  /** Largest FHIR Bundle POST /fhir/patient accepts, in bytes (FHIR_MAX_BYTES, default 32 MiB). */
  fhirMaxBytes: number
  /** TLS_CERT and TLS_KEY (PEM files): serve HTTPS; both or neither. */
  tls?: { cert: string; key: string }
  /** CPU_BUDGET_MS: the base budget of a request's work on the pool (server/workers/cpu-pool.ts). */
  cpuBudgetMs: number
  /** SHUTDOWN_DEADLINE_MS: how long requests in flight get to finish on SIGTERM. */
  shutdownDeadlineMs: number
  /** CPU_THREADS: worker threads of the pool (default: one per core). */
  cpuThreads?: number
  /**
   * WARM_UP (default 1; 0 to skip): each pool thread runs the designer's edit loop once on the protocols in
   * PROTOCOLS_DIR before the server listens, so that the first editor opened does not wait for the engine's first run.
   */
  warmUp: boolean
  /**
   * DATABASE_URL (postgres://user:password@host:port/database): the shared
   * PostgreSQL database of one or more app instances, instead of the SQLite
   * file under DATA_DIR (which is then neither created nor locked).
   */
  databaseUrl?: string
  /**
   * OMOP_SOURCE: the research data warehouse POST /protocols/{id}/cohort
   * runs a protocol's eligibility on, read-only: a DuckDB file or a folder of
   * OMOP tables (CSV or Parquet; a relative path is from the working
   * directory), or a postgres:// URL. Unset: the route answers 409.
   */
  omopSource?: string
}

/** DATABASE_URL, when set: a postgres:// or postgresql:// URL with a host. */
function databaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.DATABASE_URL?.trim()
  if (!raw) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new Error('DATABASE_URL must be a URL like postgres://user:password@host:5432/database')
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new Error(
      `DATABASE_URL must be a postgres:// URL (PostgreSQL); got a ${url.protocol}// URL. Leave it unset for the embedded SQLite database under DATA_DIR`,
    )
  if (!url.hostname) throw new Error('DATABASE_URL names no host: postgres://user:password@host:5432/database')
  return raw
}

/** OMOP_SOURCE as the route opens it: a URL as given, a path made absolute. */
function omopSource(raw: string): string {
  return /^postgres(ql)?:\/\//.test(raw) ? raw : resolve(raw)
}

/** Where a DATABASE_URL points, without its password: postgres://user@host:port/database. */
export function databaseLabel(raw: string): string {
  const url = new URL(raw)
  return `${url.protocol}//${url.username ? `${decodeURIComponent(url.username)}@` : ''}${url.host}${url.pathname}`
}

/** Requests in flight get 10 s to finish on SIGTERM: within the 30 s orchestrators (systemd, Kubernetes) wait before SIGKILL. */
export const DEFAULT_SHUTDOWN_DEADLINE_MS = 10_000

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, unit: string): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const n = Number(raw)
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a whole number of ${unit}, got ${raw}`)
  return n
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return fallback
  if (raw !== '0' && raw !== '1') throw new Error(`${name} must be 0 or 1, got ${raw}`)
  return raw === '1'
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`)
  const fhirMaxBytes = wholeNumber(env, 'FHIR_MAX_BYTES', DEFAULT_MAX_FHIR_BODY_BYTES, 'bytes')
  const cert = env.TLS_CERT?.trim() || undefined
  const key = env.TLS_KEY?.trim() || undefined
  if ((cert === undefined) !== (key === undefined)) throw new Error(`TLS needs both TLS_CERT and TLS_KEY; only ${cert ? 'TLS_CERT' : 'TLS_KEY'} is set`)
  return {
    // loopback by default: exposing the service is a deliberate choice (HOST=0.0.0.0)
    host: env.HOST ?? '127.0.0.1',
    port,
    dataDir: env.DATA_DIR ?? join(process.cwd(), 'data'),
    protocolsDir: env.PROTOCOLS_DIR ?? join(process.cwd(), 'protocols'),
    fhirMaxBytes,
    ...(cert && key ? { tls: { cert, key } } : {}),
    cpuBudgetMs: wholeNumber(env, 'CPU_BUDGET_MS', DEFAULT_CPU_BUDGET_MS, 'milliseconds'),
    shutdownDeadlineMs: wholeNumber(env, 'SHUTDOWN_DEADLINE_MS', DEFAULT_SHUTDOWN_DEADLINE_MS, 'milliseconds'),
    ...(env.CPU_THREADS?.trim() ? { cpuThreads: wholeNumber(env, 'CPU_THREADS', 1, 'threads') } : {}),
    warmUp: onOff(env, 'WARM_UP', true),
    ...(databaseUrl(env) ? { databaseUrl: databaseUrl(env) } : {}),
    ...(env.OMOP_SOURCE?.trim() ? { omopSource: omopSource(env.OMOP_SOURCE.trim()) } : {}),
  }
}

export const databaseFile = (config: ServerConfig) => join(config.dataDir, 'ln-trial.db')
