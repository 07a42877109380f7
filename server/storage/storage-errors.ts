/**
 * Failures of the storage itself, not of a request: the disk holding the data
 * directory is full, or the database stayed locked longer than the busy
 * timeout. The store throws these instead of the driver's errors, so the
 * HTTP layer can answer 507 or 503 without knowing SQLite (errors.ts). A
 * write that fails so has changed nothing: each is one transaction, rolled
 * back on error.
 */
import { statfsSync } from 'node:fs'

/** The disk holding the data directory is full: the write was refused, nothing was saved. */
export class StorageFullError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StorageFullError'
  }
}

/** The database stayed locked by another connection past the busy timeout: nothing was saved. */
export class StorageBusyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StorageBusyError'
  }
}

/**
 * Below this much free space, an I/O error on write is taken for a full disk:
 * a commit writes a few pages of at most 64 KiB each to the WAL, so with less
 * than 1 MiB left the likeliest reason a write failed is room.
 */
const NEARLY_FULL_BYTES = 1024 * 1024

/** SQLite's I/O errors that a full disk (ENOSPC) surfaces as, depending on where the write was. */
const IO_ERRORS_OF_A_FULL_DISK = new Set(['SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC', 'SQLITE_IOERR_SHMSIZE'])

/**
 * PostgreSQL's SQLSTATEs (and the driver's refused connection) that leave
 * nothing saved and may succeed if retried: the server refused the
 * connection or is starting, too many connections, a lock or serialization
 * conflict that rolled the transaction back, a connection lost before any
 * commit (ECONNLOST, postgres/pg-database.ts). A connection lost during a
 * commit is not among them: whether that commit happened is unknown.
 */
const POSTGRES_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNLOST', '53300', '57P03', '40001', '40P01', '55P03'])
/** PostgreSQL's disk_full. */
const POSTGRES_DISK_FULL = '53100'

/** Free space for the service user on the file system holding `dir`; undefined when it cannot be read. */
function freeBytes(dir: string): number | undefined {
  try {
    const s = statfsSync(dir)
    return s.bavail * s.bsize
  } catch {
    return undefined
  }
}

/**
 * The storage failure an error stands for, or undefined for any other error
 * (a bug, answered 500 as before).
 *
 * @param dir the data directory, to tell a full disk from another I/O error
 */
export function storageFailureOf(e: unknown, dir: string | undefined): StorageFullError | StorageBusyError | undefined {
  if (e instanceof StorageFullError || e instanceof StorageBusyError) return e
  const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined
  if (typeof code !== 'string') return undefined
  const where = dir === undefined ? 'the database' : `the data directory ${dir}`
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return new StorageFullError(`the disk holding ${where} is full (${code})`, { cause: e })
  if (IO_ERRORS_OF_A_FULL_DISK.has(code) && dir !== undefined) {
    const free = freeBytes(dir)
    if (free !== undefined && free < NEARLY_FULL_BYTES)
      return new StorageFullError(`the disk holding ${where} is full (${code}, ${free} bytes free)`, { cause: e })
  }
  if (code === POSTGRES_DISK_FULL) return new StorageFullError(`the disk holding ${where} is full (SQLSTATE ${code})`, { cause: e })
  if (POSTGRES_UNAVAILABLE.has(code)) return new StorageBusyError(`${where} is unavailable or busy (${code}); nothing was saved, try again`, { cause: e })
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'))
    return new StorageBusyError(`${where} stayed locked by another connection past the busy timeout (${code})`, { cause: e })
  return undefined
}

/**
 * The same store whose every method throws (or rejects with) a
 * StorageFullError or StorageBusyError where the driver failed so.
 *
 * @param dir the data directory (undefined for an in-memory database)
 */
export function withStorageErrors<T extends object>(store: T, dir: string | undefined): T {
  const translate = (e: unknown) => storageFailureOf(e, dir) ?? e
  const out: Record<string, unknown> = {}
  for (const [name, member] of Object.entries(store)) {
    if (typeof member !== 'function') {
      out[name] = member
      continue
    }
    out[name] = (...args: unknown[]) => {
      let result: unknown
      try {
        result = (member as (...a: unknown[]) => unknown).apply(store, args)
      } catch (e) {
        throw translate(e)
      }
      return result instanceof Promise ? result.catch((e: unknown) => Promise.reject(translate(e))) : result
    }
  }
  return out as T
}
