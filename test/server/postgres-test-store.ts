/**
 * testApp's store on PostgreSQL (TEST_STORE=postgres, the integration-postgres
 * project of vitest.config.ts): the route tests run against the PostgreSQL
 * store as they do against SQLite. The first start (the shipped protocols
 * parsed, checked and stored, an admin token) is done once per worker into a
 * template database; each app gets a database of its own copied from it
 * (CREATE DATABASE … TEMPLATE), dropped when its test ends.
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { onTestFinished } from 'vitest'
import { bootstrap } from '../../server/bootstrap.ts'
import { openPostgresStore } from '../../server/storage/postgres/postgres-store.ts'
import type { Store } from '../../server/storage/store.ts'
import { PROTOCOLS_DIR } from '../helpers/protocols.ts'

export const ON_POSTGRES = process.env.TEST_STORE === 'postgres'

let admin: pg.Pool | undefined
let template: Promise<{ name: string; adminToken: string }> | undefined

const urlOf = (database: string) => {
  const url = new URL(process.env.TEST_DATABASE_URL!)
  url.pathname = `/${database}`
  return url.toString()
}

async function bootstrapTemplate(): Promise<{ name: string; adminToken: string }> {
  admin ??= new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 2 })
  const name = `ln_tpl_${randomUUID().replaceAll('-', '')}`
  await admin.query(`CREATE DATABASE ${name}`)
  const store = await openPostgresStore({ url: urlOf(name), poolSize: 2 })
  const { adminToken } = await bootstrap(store, PROTOCOLS_DIR)
  // a template is copied only while nobody is connected to it
  await store.close()
  if (!adminToken) throw new Error('bootstrap of an empty PostgreSQL store created no admin token')
  return { name, adminToken }
}

/** A store as the first start leaves it, in a new database; dropped when the current test ends (kept until the cluster goes when made outside a test). */
export async function postgresTestStore(): Promise<{ store: Store; adminToken: string }> {
  if (!process.env.TEST_DATABASE_URL) throw new Error('TEST_STORE=postgres needs TEST_DATABASE_URL (a PostgreSQL cluster: test/postgres/throwaway-cluster.ts)')
  const { name: templateName, adminToken } = await (template ??= bootstrapTemplate())
  const name = `ln_app_${randomUUID().replaceAll('-', '')}`
  await admin!.query(`CREATE DATABASE ${name} TEMPLATE ${templateName}`)
  const store = await openPostgresStore({ url: urlOf(name), poolSize: 3 })
  try {
    onTestFinished(async () => {
      await store.close()
      await admin!.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    })
  } catch {
    // made in a beforeAll: lives as long as the file's app
  }
  return { store, adminToken }
}
