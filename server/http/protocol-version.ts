/**
 * "This protocol (version), or 404": the one loader of a stored protocol
 * version by id. Routes declaring `protocol:` in their RouteSpec get it as
 * `input.version` from the middleware below; code reaching a protocol
 * through something else (a subject's protocol_id) calls the function.
 */
import type { MiddlewareHandler } from 'hono'
import { notFound } from '../errors.ts'
import type { ProtocolVersionRow, Store } from '../storage/store.ts'
import type { Env, ProtocolLoad } from './route.ts'

/** A stored version (the latest when `version` is undefined), or a 404 naming what was asked for. */
export async function protocolVersionOrThrow(store: Store, id: string, version?: number): Promise<ProtocolVersionRow> {
  const row = await store.protocolVersion(id, version)
  if (!row) throw notFound(version === undefined ? `protocol ${id}` : `protocol ${id} version ${version}`)
  return row
}

/**
 * The version of `:id` a route works on, into `protocolVersion` (the `version` query was validated as an integer
 * before), and the protocol's row it was found through into `protocolRow`: one read of the protocol (its latest
 * version and status) per request, the version row itself being kept in memory by the store.
 */
export function protocolVersionLoader(store: Store, load: ProtocolLoad): MiddlewareHandler<Env> {
  return async (c, next) => {
    const id = c.req.param('id')!
    const v = load === 'version' ? c.req.query('version') : undefined
    const protocol = await store.protocol(id)
    if (!protocol) throw notFound(`protocol ${id}`)
    c.set('protocolRow', protocol)
    c.set('protocolVersion', await protocolVersionOrThrow(store, id, v === undefined ? protocol.latest_version : Number(v)))
    return next()
  }
}
