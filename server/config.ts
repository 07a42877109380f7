/**
 * Settings from the environment, with defaults in one place.
 */
import { join } from 'node:path'

export interface ServerConfig {
  host: string
  port: number
  dataDir: string
  protocolsDir: string
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`)
  return {
    // loopback by default: exposing the service is a deliberate choice (HOST=0.0.0.0)
    host: env.HOST ?? '127.0.0.1',
    port,
    dataDir: env.DATA_DIR ?? join(process.cwd(), 'data'),
    protocolsDir: env.PROTOCOLS_DIR ?? join(process.cwd(), 'protocols'),
  }
}

export const databaseFile = (config: ServerConfig) => join(config.dataDir, 'ln-trial.db')
