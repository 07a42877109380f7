/**
 * Settings from the environment, with defaults in one place.
 */
import { join } from 'node:path'

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
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`)
  const fhirMaxBytes = env.FHIR_MAX_BYTES === undefined || env.FHIR_MAX_BYTES.trim() === '' ? DEFAULT_MAX_FHIR_BODY_BYTES : Number(env.FHIR_MAX_BYTES)
  if (!Number.isSafeInteger(fhirMaxBytes) || fhirMaxBytes < 1) throw new Error(`FHIR_MAX_BYTES must be a whole number of bytes, got ${env.FHIR_MAX_BYTES}`)
  return {
    // loopback by default: exposing the service is a deliberate choice (HOST=0.0.0.0)
    host: env.HOST ?? '127.0.0.1',
    port,
    dataDir: env.DATA_DIR ?? join(process.cwd(), 'data'),
    protocolsDir: env.PROTOCOLS_DIR ?? join(process.cwd(), 'protocols'),
    fhirMaxBytes,
  }
}

export const databaseFile = (config: ServerConfig) => join(config.dataDir, 'ln-trial.db')
